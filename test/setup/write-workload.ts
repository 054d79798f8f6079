import { GROUP_SCHEMA, USER_SCHEMA } from './test-app.js';
import { versionNumber } from './robustness-checks.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BASE = '/scim/v2';

/** mulberry32: a small seeded generator, so a workload (and where it is cut) replays from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tracked {
  deleted: boolean;
  /** A change was sent and not acknowledged (in flight, or cut by a crash): its outcome is unknown. */
  pending: boolean;
  version: number;
}
export interface TrackedUser extends Tracked {
  displayName: string;
  owner: number;
}
export interface TrackedGroup extends Tracked {
  members: Set<string>;
  owner: number;
}

/** What the acknowledged (2xx) answers imply. Each worker owns its resources, so its changes to them are ordered. */
export class AcknowledgedModel {
  readonly users = new Map<string, TrackedUser>();
  readonly groups = new Map<string, TrackedGroup>();
}

export interface WorkloadStats {
  requests: number;
  acknowledged: number;
  statuses: Map<number, number>;
  latenciesMs: number[];
  networkErrors: number;
}

export const newStats = (): WorkloadStats => ({
  requests: 0,
  acknowledged: 0,
  statuses: new Map(),
  latenciesMs: [],
  networkErrors: 0,
});

export interface WorkerOptions {
  readonly owner: number;
  readonly random: () => number;
  readonly model: AcknowledgedModel;
  readonly stats: WorkloadStats;
  readonly token: () => string;
  /** The instance this request goes to. */
  readonly url: () => string;
  readonly stop: () => boolean;
  /** Share of plain reads (GET by id, lists) among the requests. */
  readonly readShare?: number;
}

async function call(
  o: WorkerOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> } | undefined> {
  const started = performance.now();
  o.stats.requests++;
  try {
    const res = await fetch(`${o.url()}${path}`, {
      method,
      headers: { Authorization: `Bearer ${o.token()}`, 'Content-Type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    o.stats.latenciesMs.push(performance.now() - started);
    o.stats.statuses.set(res.status, (o.stats.statuses.get(res.status) ?? 0) + 1);
    if (res.status < 300) o.stats.acknowledged++;
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch {
    o.stats.networkErrors++;
    return undefined;
  }
}

const pick = <T>(random: () => number, items: readonly T[]): T | undefined =>
  items[Math.floor(random() * items.length)];
const live = <T extends Tracked>(map: Map<string, T>, owner: number): [string, T][] =>
  [...map.entries()].filter(([, v]) => !v.deleted && !v.pending && (v as unknown as { owner: number }).owner === owner);
const versionOf = (json: Record<string, unknown>): number =>
  versionNumber((json['meta'] as { version?: string } | undefined)?.version) ?? 0;

/** One change (or read) against this worker's resources; false when the server could not be reached. */
async function step(o: WorkerOptions, n: number): Promise<boolean> {
  const { random, model, owner } = o;
  const users = live(model.users, owner);
  const groups = live(model.groups, owner);
  const roll = random();
  if (roll < (o.readShare ?? 0)) {
    const target = pick(random, users);
    const res = target
      ? await call(o, 'GET', `${BASE}/Users/${target[0]}`)
      : await call(o, 'GET', `${BASE}/Groups?count=20&excludedAttributes=members`);
    return res !== undefined;
  }
  const choice = random();
  if (users.length < 3 || choice < 0.2) {
    const displayName = `w${owner}-${n}`;
    const res = await call(o, 'POST', `${BASE}/Users`, {
      schemas: [USER_SCHEMA],
      userName: `w${owner}-${n}-${Math.floor(random() * 1e9)}@crash.example`,
      displayName,
    });
    if (res?.status === 201)
      model.users.set(String(res.json['id']), {
        displayName,
        owner,
        deleted: false,
        pending: false,
        version: versionOf(res.json),
      });
    return res !== undefined;
  }
  if (choice < 0.45) {
    const [id, user] = pick(random, users)!;
    const displayName = `renamed-${owner}-${n}`;
    user.pending = true;
    const res = await call(o, 'PATCH', `${BASE}/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: displayName }],
    });
    if (res === undefined) return false;
    if (res.status === 200) Object.assign(user, { displayName, version: versionOf(res.json) });
    user.pending = false;
    return true;
  }
  if (choice < 0.55) {
    const [id, user] = pick(random, users)!;
    user.pending = true;
    const res = await call(o, 'DELETE', `${BASE}/Users/${id}`);
    if (res === undefined) return false;
    if (res.status === 204) {
      user.deleted = true;
      for (const g of model.groups.values()) g.members.delete(id);
    }
    user.pending = false;
    return true;
  }
  if (groups.length < 2 || choice < 0.65) {
    const members = users.filter(() => random() < 0.5).map(([id]) => id);
    const res = await call(o, 'POST', `${BASE}/Groups`, {
      schemas: [GROUP_SCHEMA],
      displayName: `g${owner}-${n}-${Math.floor(random() * 1e9)}`,
      members: members.map((value) => ({ value })),
    });
    if (res?.status === 201)
      model.groups.set(String(res.json['id']), {
        members: new Set(members),
        owner,
        deleted: false,
        pending: false,
        version: versionOf(res.json),
      });
    return res !== undefined;
  }
  const [groupId, group] = pick(random, groups)!;
  if (choice < 0.95) {
    const adding = random() < 0.6;
    const candidates = users.map(([id]) => id).filter((id) => group.members.has(id) !== adding);
    const chosen = candidates.filter(() => random() < 0.5).slice(0, 4);
    if (chosen.length === 0) return true;
    for (const id of chosen) model.users.get(id)!.pending = true;
    group.pending = true;
    const op = adding
      ? { op: 'add', path: 'members', value: chosen.map((value) => ({ value })) }
      : { op: 'remove', path: `members[value eq "${chosen[0]}"]` };
    const res = await call(o, 'PATCH', `${BASE}/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [op] });
    if (res === undefined) return false;
    if (res.status < 300) {
      if (adding) chosen.forEach((id) => group.members.add(id));
      else group.members.delete(chosen[0]);
      if (res.status === 200) group.version = versionOf(res.json);
    }
    for (const id of chosen) model.users.get(id)!.pending = false;
    group.pending = false;
    return true;
  }
  group.pending = true;
  const res = await call(o, 'DELETE', `${BASE}/Groups/${groupId}`);
  if (res === undefined) return false;
  if (res.status === 204) group.deleted = true;
  group.pending = false;
  return true;
}

/** A worker sending changes until told to stop or until the server is gone. */
export async function runWorker(o: WorkerOptions): Promise<void> {
  for (let n = 0; !o.stop(); n++) {
    if (!(await step(o, n))) return;
  }
}
