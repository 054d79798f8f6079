import assert from 'node:assert/strict';
import fc from 'fast-check';
import { percentEncode } from './raw-request.js';
import { BASE, GROUP_SCHEMA, USER_SCHEMA, type TestApp } from './test-app.js';

export interface FuzzPool {
  readonly users: string[];
  readonly groups: string[];
  /** An existing id, a random UUID, or a hostile string. */
  readonly memberId: fc.Arbitrary<string>;
  readonly userId: fc.Arbitrary<string>;
  readonly groupId: fc.Arbitrary<string>;
}

/**
 * Users (with emails, an enterprise manager) and groups (with user and nested-group
 * members) for generated requests to read and change.
 */
export async function seedPool(t: TestApp, userCount = 8): Promise<FuzzPool> {
  const users: string[] = [];
  for (let i = 0; i < userCount; i++) {
    const res = await t.req('post', `${BASE}/Users`).send({
      schemas: [USER_SCHEMA],
      userName: `pool-${i}@example.com`,
      displayName: `Pool ${i}`,
      title: `title ${i % 3}`,
      emails: [
        { value: `pool-${i}@example.com`, type: 'work', primary: true },
        { value: `p${i}@home.example`, type: 'home' },
      ],
    });
    assert.equal(res.status, 201, res.text);
    users.push(res.body.id as string);
  }
  const groups: string[] = [];
  for (let i = 0; i < 3; i++) {
    const members = [...users.slice(i * 2, i * 2 + 3), ...groups.slice(-1)].map((value) => ({ value }));
    const res = await t
      .req('post', `${BASE}/Groups`)
      .send({ schemas: [GROUP_SCHEMA], displayName: `pool group ${i}`, members });
    assert.equal(res.status, 201, res.text);
    groups.push(res.body.id as string);
  }
  const other = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }));
  return {
    users,
    groups,
    memberId: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...users, ...groups) }, { weight: 1, arbitrary: other }),
    userId: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...users) }, { weight: 1, arbitrary: other }),
    groupId: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...groups) }, { weight: 1, arbitrary: other }),
  };
}

/** An id for a URL path: percent-encoded, so the server sees exactly the generated string. */
export const pathId = (id: string): string => percentEncode(id);
