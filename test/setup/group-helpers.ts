import assert from 'node:assert/strict';
import { BASE, GROUP_SCHEMA, SCIM_JSON, userBody, type TestApp } from './test-app.js';

/* Shared by the Groups e2e specs (test/e2e/groups-*.e2e.spec.ts). */

export const UNKNOWN_ID = '00000000-0000-0000-0000-0000000000aa';

export type Member = { value: string; type?: string; display?: string; $ref?: string };
export type MemberRow = { member_id: string; member_type: string };

export function groupBody(displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [GROUP_SCHEMA], displayName, ...extra };
}

export const byValue = (a: { value: string }, b: { value: string }): number =>
  a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
export const sortedIds = (ids: string[]): string[] => [...ids].sort();

/** Helpers over one running app. */
export function groupHelpers(get: () => TestApp) {
  const createUser = async (userName: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await get().req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody(userName, extra));
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const postGroup = (body: Record<string, unknown>) =>
    get().req('post', `${BASE}/Groups`).set('Content-Type', SCIM_JSON).send(body);
  const createGroup = async (displayName: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await postGroup(groupBody(displayName, extra));
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const putGroup = (id: string, body: Record<string, unknown>) =>
    get().req('put', `${BASE}/Groups/${id}`).set('Content-Type', SCIM_JSON).send(body);
  const memberRows = async (groupId: string): Promise<MemberRow[]> =>
    get().db.query(`SELECT member_id, member_type FROM group_members WHERE group_id = '${groupId}' ORDER BY member_id`);
  const count = async (sql: string): Promise<number> => {
    const [{ n }] = await get().db.query(sql);
    return Number(n);
  };
  const userRef = (id: string) => `${get().url}${BASE}/Users/${id}`;
  const groupRef = (id: string) => `${get().url}${BASE}/Groups/${id}`;

  return { createUser, postGroup, createGroup, putGroup, memberRows, count, userRef, groupRef };
}
