import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adminMayManage, adminRouteDirectory } from './admin-directory-access.js';

describe('adminRouteDirectory', () => {
  it('reads the directory of every /admin/directories/:param route, whoever registers it', () => {
    assert.equal(adminRouteDirectory('GET', '/admin/directories/:id', { id: '7' }), 7);
    assert.equal(adminRouteDirectory('POST', '/admin/directories/:id/tokens', { id: '7' }), 7);
    assert.equal(
      adminRouteDirectory('PUT', '/admin/directories/:id/schemas/:schemaId', { id: '12', schemaId: 'x' }),
      12,
    );
    assert.equal(adminRouteDirectory('GET', '/admin/directories/:directoryId/schemas', { directoryId: '3' }), 3);
    assert.equal(adminRouteDirectory('GET', '/admin/directories/:id/schemas', { id: '007' }), Number.NaN);
    assert.equal(adminRouteDirectory('GET', '/admin/directories/:id/schemas', { id: '1e3' }), Number.NaN);
    assert.equal(adminRouteDirectory('GET', '/admin/directories/:id/schemas', {}), Number.NaN);
  });

  it('/admin/tokens is the default directory; creating, listing and deleting directories and other routes are server-wide', () => {
    assert.equal(adminRouteDirectory('GET', '/admin/tokens', {}), 1);
    assert.equal(adminRouteDirectory('POST', '/admin/tokens/:id/rotate', { id: 'x' }), 1);
    assert.equal(adminRouteDirectory('GET', '/admin/directories', {}), 'server');
    assert.equal(adminRouteDirectory('POST', '/admin/directories', {}), 'server');
    assert.equal(adminRouteDirectory('DELETE', '/admin/directories/:id', { id: '7' }), 'server');
    assert.equal(adminRouteDirectory('DELETE', '/admin/directories/:id/tokens/:tokenId', { id: '7', tokenId: 'x' }), 7);
    assert.equal(adminRouteDirectory('GET', '/admin/tokensx', {}), 'server');
    assert.equal(adminRouteDirectory('GET', '/admin/other', {}), 'server');
  });
});

describe('adminMayManage', () => {
  it('a server-wide token manages everything; a bound one only its own directory', () => {
    assert.equal(adminMayManage({ directoryId: 2, serverWide: true }, 'server'), true);
    assert.equal(adminMayManage({ directoryId: 2, serverWide: true }, 5), true);
    assert.equal(adminMayManage({ directoryId: 2, serverWide: false }, 2), true);
    assert.equal(adminMayManage({ directoryId: 2, serverWide: false }, 5), false);
    assert.equal(adminMayManage({ directoryId: 2, serverWide: false }, 'server'), false);
    assert.equal(adminMayManage({ directoryId: 2, serverWide: false }, Number.NaN), false);
  });
});
