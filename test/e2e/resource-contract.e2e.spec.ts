import { runResourceContract } from '../setup/resource-contract.js';
import { GROUP_SCHEMA, startTestApp, USER_SCHEMA } from '../setup/test-app.js';

/* Users and Groups run the same contract every registered resource type runs. */

runResourceContract({
  type: 'User',
  endpoint: '/Users',
  schema: USER_SCHEMA,
  table: 'users',
  start: () => startTestApp(),
  body: (key) => ({ schemas: [USER_SCHEMA], userName: key, displayName: `Display ${key}` }),
  key: 'userName',
  patch: { path: 'title', value: 'Contract Engineer' },
});

runResourceContract({
  type: 'Group',
  endpoint: '/Groups',
  schema: GROUP_SCHEMA,
  table: 'groups',
  start: () => startTestApp(),
  body: (key) => ({ schemas: [GROUP_SCHEMA], displayName: key }),
  key: 'displayName',
  patch: { path: 'externalId', value: 'contract-external' },
});
