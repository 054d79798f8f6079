import { DEVICE_SCHEMA_URN, startDeviceApp } from '../setup/device-type.js';
import { runResourceContract } from '../setup/resource-contract.js';
import { GROUP_SCHEMA, startTestApp, USER_SCHEMA } from '../setup/test-app.js';

/* Users, Groups and the test-only Device (a definition and a migration, no code) run the same contract. */

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

runResourceContract({
  type: 'Device',
  endpoint: '/Devices',
  schema: DEVICE_SCHEMA_URN,
  table: 'devices',
  start: startDeviceApp,
  body: (key) => ({ schemas: [DEVICE_SCHEMA_URN], serialNumber: key }),
  key: 'serialNumber',
  patch: { path: 'owner', value: 'https://example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646' },
});
