import { versionNumber } from './robustness-checks.js';
import type { AcknowledgedModel } from './write-workload.js';

const BASE = '/scim/v2';

interface Resource {
  id: string;
  displayName?: string;
  meta?: { version?: string };
  members?: { value: string }[];
  groups?: { value: string; type?: string }[];
}

async function get(url: string, token: string, path: string): Promise<{ status: number; body: Resource }> {
  const res = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Resource };
}

async function listAll(url: string, token: string, endpoint: 'Users' | 'Groups'): Promise<Resource[]> {
  const all: Resource[] = [];
  for (let start = 1; ; start += 500) {
    const { body } = await get(url, token, `${BASE}/${endpoint}?startIndex=${start}&count=500`);
    const page = (body as unknown as { Resources?: Resource[] }).Resources ?? [];
    all.push(...page);
    if (page.length < 500) return all;
  }
}

/**
 * Differences between the server's state and what its acknowledged answers imply:
 * every acknowledged change present (values, versions at least those answered,
 * deletions, memberships), and nothing half-applied (a group's members and the
 * member users' `groups` agree). Resources with a change whose answer never came
 * (cut by a crash) may be either way and are checked for consistency only.
 */
export async function acknowledgedStateProblems(
  url: string,
  token: string,
  model: AcknowledgedModel,
): Promise<string[]> {
  const problems: string[] = [];
  const pendingUsers = new Set([...model.users].filter(([, u]) => u.pending).map(([id]) => id));
  for (const [id, user] of model.users) {
    if (user.pending) continue;
    const { status, body } = await get(url, token, `${BASE}/Users/${id}`);
    if (user.deleted) {
      if (status !== 404) problems.push(`user ${id}: acknowledged DELETE, but GET is ${status}`);
      continue;
    }
    if (status !== 200) problems.push(`user ${id}: acknowledged, GET is ${status}`);
    else if (body.displayName !== user.displayName)
      problems.push(`user ${id}: displayName ${body.displayName}, acknowledged ${user.displayName}`);
    else if ((versionNumber(body.meta?.version) ?? 0) < user.version)
      problems.push(`user ${id}: version ${body.meta?.version} below acknowledged ${user.version}`);
  }
  for (const [id, group] of model.groups) {
    if (group.pending) continue;
    const { status, body } = await get(url, token, `${BASE}/Groups/${id}`);
    if (group.deleted) {
      if (status !== 404) problems.push(`group ${id}: acknowledged DELETE, but GET is ${status}`);
      continue;
    }
    if (status !== 200) {
      problems.push(`group ${id}: acknowledged, GET is ${status}`);
      continue;
    }
    const stored = new Set((body.members ?? []).map((m) => m.value).filter((m) => !pendingUsers.has(m)));
    const expected = new Set([...group.members].filter((m) => !pendingUsers.has(m)));
    if ([...stored].sort().join() !== [...expected].sort().join())
      problems.push(
        `group ${id}: members [${[...stored].sort().join()}], acknowledged [${[...expected].sort().join()}]`,
      );
    if ((versionNumber(body.meta?.version) ?? 0) < group.version)
      problems.push(`group ${id}: version ${body.meta?.version} below acknowledged ${group.version}`);
  }
  problems.push(...(await membershipAgreementProblems(url, token)));
  return problems;
}

/** Every group's members list each user whose `groups` names that group directly, and the reverse. */
export async function membershipAgreementProblems(url: string, token: string): Promise<string[]> {
  const problems: string[] = [];
  const users = await listAll(url, token, 'Users');
  const groups = await listAll(url, token, 'Groups');
  const userIds = new Set(users.map((u) => u.id));
  const fromGroups = new Set(
    groups.flatMap((g) => (g.members ?? []).filter((m) => userIds.has(m.value)).map((m) => `${g.id}>${m.value}`)),
  );
  const fromUsers = new Set(
    users.flatMap((u) => (u.groups ?? []).filter((g) => g.type !== 'indirect').map((g) => `${g.value}>${u.id}`)),
  );
  for (const edge of fromGroups)
    if (!fromUsers.has(edge)) problems.push(`group>user ${edge} in members but not in the user's groups`);
  for (const edge of fromUsers)
    if (!fromGroups.has(edge)) problems.push(`group>user ${edge} in the user's groups but not in members`);
  const groupIds = new Set(groups.map((g) => g.id));
  for (const g of groups) {
    for (const m of g.members ?? [])
      if (!userIds.has(m.value) && !groupIds.has(m.value))
        problems.push(`group ${g.id} lists ${m.value}, which does not exist`);
  }
  return problems;
}
