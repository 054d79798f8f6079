import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RESOURCE_TYPES } from '../../scim/schema/resource-types.js';
import { DEVICE_RESOURCE_TYPE } from '../../../test/setup/device-type.js';
import { endpointRewriter, requestedDirectorySlug } from './endpoint-rewriter.js';

type Endpoints = Parameters<typeof endpointRewriter>[1];
const rewrite = (url: string, types: Endpoints = DEFAULT_RESOURCE_TYPES, base = '/scim/v2'): string =>
  endpointRewriter(base, types)({ url });

describe('endpointRewriter', () => {
  it('canonicalises the registered resource endpoints and the discovery endpoints, case-insensitively', () => {
    assert.equal(
      rewrite('/scim/v2/users?filter=userName%20eq%20%22A%22'),
      '/scim/v2/Users?filter=userName%20eq%20%22A%22',
    );
    assert.equal(rewrite('/scim/v2/GROUPS/abc'), '/scim/v2/Groups/abc');
    assert.equal(rewrite('/scim/v2/resourcetypes/User'), '/scim/v2/ResourceTypes/User');
    assert.equal(rewrite('/scim/v2/schemas'), '/scim/v2/Schemas');
    assert.equal(rewrite('/scim/v2/serviceproviderconfig'), '/scim/v2/ServiceProviderConfig');
  });

  it('leaves ids, longer names and other prefixes exactly as sent', () => {
    assert.equal(rewrite('/scim/v2/users/uSeRs'), '/scim/v2/Users/uSeRs');
    assert.equal(rewrite('/scim/v2/usersx'), '/scim/v2/usersx');
    assert.equal(rewrite('/other/users'), '/other/users');
  });

  it('takes the resource endpoints from the definitions it is given', () => {
    assert.equal(rewrite('/scim/v2/devices/D1'), '/scim/v2/devices/D1');
    const withDevices = [...DEFAULT_RESOURCE_TYPES, DEVICE_RESOURCE_TYPE];
    assert.equal(rewrite('/scim/v2/devices/D1', withDevices), '/scim/v2/Devices/D1');
    assert.equal(rewrite('/scim/v2/users', [DEVICE_RESOURCE_TYPE]), '/scim/v2/users');
  });

  it('matches endpoint and base path literally, not as patterns', () => {
    const dotted = [{ endpoint: '/A.b' }];
    assert.equal(rewrite('/scim/v2/a.B', dotted), '/scim/v2/A.b');
    assert.equal(rewrite('/scim/v2/aXb', dotted), '/scim/v2/aXb');
    assert.equal(rewrite('/scimXv2/users', DEFAULT_RESOURCE_TYPES, '/scim.v2'), '/scimXv2/users');
  });

  it('strips a directory prefix before the base path and keeps its slug for the request', () => {
    const rewriter = endpointRewriter('/scim/v2', DEFAULT_RESOURCE_TYPES);
    const req = { url: '/directories/okta-emea/scim/v2/users/abc?attributes=id' };
    assert.equal(rewriter(req), '/scim/v2/Users/abc?attributes=id');
    assert.equal(requestedDirectorySlug(req), 'okta-emea');
    const root = { url: '/directories/x/scim/v2?y=1' };
    assert.equal(rewriter(root), '/scim/v2?y=1');
    assert.equal(requestedDirectorySlug(root), 'x');
    const plain = { url: '/scim/v2/Users' };
    assert.equal(rewriter(plain), '/scim/v2/Users');
    assert.equal(requestedDirectorySlug(plain), undefined);
  });

  it('leaves a directory path that does not continue with the base path alone', () => {
    for (const url of [
      '/directories/x/scim/v2x/Users',
      '/directories/x/other',
      '/directories//scim/v2',
      '/directories/a/b/scim/v2',
    ]) {
      const req = { url };
      assert.equal(endpointRewriter('/scim/v2', DEFAULT_RESOURCE_TYPES)(req), url);
      assert.equal(requestedDirectorySlug(req), undefined, url);
    }
  });
});
