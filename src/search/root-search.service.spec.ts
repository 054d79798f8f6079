import assert from 'node:assert/strict';
import { DEFAULT_DIRECTORY, SYSTEM_PRINCIPAL } from '../common/http/scim-context.js';
import { describe, it } from 'node:test';
import { ResourceServices, type ResourceServiceBinding } from '../common/http/resource-services.js';
import type { ScimResourceService } from '../common/http/scim-resource.controller.js';
import type { ListParams } from '../common/list/list-planner.service.js';
import type { AppConfig } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { listResponse } from '../scim/resource/list-response.js';
import { extendSchemaSource, SchemaCatalog } from '../scim/schema/schema-catalog.js';
import { DEVICE_RESOURCE_TYPE, DEVICE_SCHEMA } from '../../test/setup/device-type.js';
import { RootSearchService } from './root-search.service.js';

const config = { defaultPageSize: 100, maxPageSize: 100 } as AppConfig;
const ctx = {
  baseUrl: 'https://scim.example/scim/v2',
  requestId: 'r1',
  principal: SYSTEM_PRINCIPAL,
  directory: DEFAULT_DIRECTORY,
};
const catalog = new SchemaCatalog(
  extendSchemaSource({ schemas: [DEVICE_SCHEMA], resourceTypes: [DEVICE_RESOURCE_TYPE] }),
);

/** A service whose list answers `count` resources of its type and records the calls. */
function fakeService(type: string, count: number, calls: string[]): ResourceServiceBinding {
  const notUsed = (): never => assert.fail(`${type}: only list is used by root search`);
  const service: ScimResourceService = {
    list: (params: ListParams) => {
      calls.push(type);
      const all = Array.from({ length: count }, (_, i) => ({ id: `${type}-${i}` }));
      const from = (params.startIndex ?? 1) - 1;
      return Promise.resolve(
        listResponse(all.slice(from, from + (params.count ?? count)), {
          totalResults: count,
          startIndex: params.startIndex ?? 1,
        }),
      );
    },
    projection: notUsed,
    create: notUsed,
    get: notUsed,
    replace: notUsed,
    patch: notUsed,
    delete: notUsed,
  };
  return { type, service };
}

function rootSearch(types: readonly string[], calls: string[]): RootSearchService {
  const services = new ResourceServices(types.map((t, i) => fakeService(t, i + 1, calls)));
  return new RootSearchService(services, catalog, config);
}

describe('RootSearchService', () => {
  it('searches every registered type with a service, in registration order', async () => {
    const calls: string[] = [];
    const result = await rootSearch(['User', 'Group', 'Device'], calls).search({}, ctx);
    assert.deepEqual(calls, ['User', 'Group', 'Device']);
    assert.equal(result.totalResults, 6);
    assert.deepEqual(
      result.Resources.map((r) => r['id']),
      ['User-0', 'Group-0', 'Group-1', 'Device-0', 'Device-1', 'Device-2'],
    );
  });

  it('skips the types a filter is not valid for', async () => {
    const calls: string[] = [];
    const result = await rootSearch(['User', 'Group', 'Device'], calls).search({ filter: 'serialNumber eq "X1"' }, ctx);
    assert.deepEqual(calls, ['Device']);
    assert.equal(result.totalResults, 3);
    calls.length = 0;
    await rootSearch(['User', 'Group', 'Device'], calls).search({ filter: 'displayName sw "a"' }, ctx);
    assert.deepEqual(calls, ['User', 'Group'], 'Device has no displayName');
  });

  it('leaves out a registered type that has no service, rather than failing', async () => {
    const calls: string[] = [];
    await rootSearch(['User', 'Group'], calls).search({}, ctx);
    assert.deepEqual(calls, ['User', 'Group']);
    await assert.rejects(
      rootSearch(['User', 'Group'], calls).search({ filter: 'serialNumber eq "X1"' }, ctx),
      (error: unknown) => {
        assert.ok(error instanceof ScimException);
        assert.equal(error.status, 400);
        return true;
      },
    );
  });

  it('pages across the types: startIndex skips whole types, count stops early', async () => {
    const calls: string[] = [];
    const result = await rootSearch(['User', 'Group', 'Device'], calls).search({ startIndex: 3, count: 2 }, ctx);
    assert.deepEqual(
      result.Resources.map((r) => r['id']),
      ['Group-1', 'Device-0'],
    );
    assert.equal(result.totalResults, 6);
  });
});
