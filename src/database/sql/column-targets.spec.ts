import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../scim/schema/resource-types.js';
import { columnTargets } from './column-targets.js';
import { scalar } from './sql-targets.js';

describe('columnTargets', () => {
  it('derives the User column targets from its storage descriptor', () => {
    assert.deepEqual(
      columnTargets(USER_RESOURCE_TYPE),
      new Map([
        ['id', scalar('u.id', 'exact', undefined, 'index')],
        ['username', scalar('u.user_name_key', 'folded', undefined, 'index')],
        ['displayname', scalar('u.display_name_key', 'folded', undefined, 'index')],
        ['active', scalar('u.active', 'boolean', '(u.active IS NOT NULL)')],
        ['externalid', scalar('u.external_id', 'exact', undefined, 'index')],
        ['meta.created', scalar('u.created', 'dateTime', '(u.created IS NOT NULL)', 'index')],
        ['meta.lastmodified', scalar('u.last_modified', 'dateTime', '(u.last_modified IS NOT NULL)')],
        ['meta.resourcetype', scalar("'User'", 'exact', '(1 = 1)')],
        ['meta.version', scalar(`('W/"' || u.version || '"')`, 'exact', '(1 = 1)')],
      ]),
    );
  });

  it('derives the Group column targets from its storage descriptor', () => {
    assert.deepEqual(
      columnTargets(GROUP_RESOURCE_TYPE),
      new Map([
        ['id', scalar('g.id', 'exact', undefined, 'index')],
        ['displayname', scalar('g.display_name_key', 'folded', undefined, 'index')],
        ['externalid', scalar('g.external_id', 'exact', undefined, 'index')],
        ['meta.created', scalar('g.created', 'dateTime', '(g.created IS NOT NULL)', 'index')],
        ['meta.lastmodified', scalar('g.last_modified', 'dateTime', '(g.last_modified IS NOT NULL)')],
        ['meta.resourcetype', scalar("'Group'", 'exact', '(1 = 1)')],
        ['meta.version', scalar(`('W/"' || g.version || '"')`, 'exact', '(1 = 1)')],
      ]),
    );
  });

  it('quotes the type name as an SQL literal', () => {
    const odd = { name: "O'Brien", storage: { table: 'x', alias: 'x', columns: [], computed: [] } };
    assert.equal(columnTargets(odd).get('meta.resourcetype')?.expr, "'O''Brien'");
  });
});
