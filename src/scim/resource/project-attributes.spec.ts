import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ScimException } from '../errors/scim.exception.js';
import { attribute, type AttributeDefinition, type SchemaDefinition } from '../schema/attribute-definition.js';
import { COMMON_ATTRIBUTES } from '../schema/common.attributes.js';
import { SchemaRegistry } from '../schema/schema-registry.js';
import { SCHEMA_ENTERPRISE_USER as ENT, SCHEMA_GROUP, SCHEMA_USER } from '../scim.constants.js';
import {
  DEFAULT_PROJECTION,
  parseProjection,
  projectionIncludes,
  projectResource,
  type Projection,
} from './project-attributes.js';
import type { ScimObject } from './scim-resource.js';

const registry = new SchemaRegistry();

const META = {
  resourceType: 'User',
  created: '2020-01-01T00:00:00Z',
  lastModified: '2020-01-02T00:00:00Z',
  location: 'https://example.com/scim/v2/Users/1',
  version: 'W/"1"',
};

// Stored order deliberately puts meta first; the projection must move it last.
const USER: ScimObject = {
  meta: META,
  schemas: [SCHEMA_USER, ENT],
  id: '1',
  externalId: 'e-1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  password: 'never-returned',
  emails: [{ value: 'b@example.com', type: 'work', primary: true }, { type: 'home' }],
  groups: [{ value: 'g1', display: 'Admins' }],
  [ENT]: { department: 'Sales', manager: { value: 'm-1', displayName: 'Boss' } },
};

function project(attributes?: string | string[], excluded?: string | string[]): ScimObject {
  return projectResource(registry, 'User', USER, parseProjection(registry, 'User', attributes, excluded));
}

const ALL_DEFAULT: ScimObject = {
  schemas: [SCHEMA_USER, ENT],
  id: '1',
  externalId: 'e-1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ value: 'b@example.com', type: 'work', primary: true }, { type: 'home' }],
  groups: [{ value: 'g1', display: 'Admins' }],
  [ENT]: { department: 'Sales', manager: { value: 'm-1', displayName: 'Boss' } },
  meta: META,
};

function without(obj: ScimObject, ...keys: string[]): ScimObject {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
}

describe('parseProjection', () => {
  it('canonicalises and lower-cases known paths and drops unknown ones', () => {
    const p = parseProjection(
      registry,
      'User',
      ' USERNAME , Name.GivenName,bogus,,urn:example:x:y,' + `${ENT.toUpperCase()}:MANAGER.VALUE`,
    );
    assert.equal(p.mode, 'include');
    assert.deepEqual([...p.paths], ['username', 'name.givenname', `${ENT.toLowerCase()}:manager.value`]);
  });

  it('accepts arrays, maps a bare extension URN to itself and a core-qualified path to the short one', () => {
    const p = parseProjection(registry, 'User', undefined, [ENT.toLowerCase(), `${SCHEMA_USER}:userName`]);
    assert.equal(p.mode, 'exclude');
    assert.deepEqual([...p.paths], [ENT.toLowerCase(), 'username']);
  });

  it('is the default projection when both are absent or blank', () => {
    for (const [a, e] of [
      [undefined, undefined],
      ['', ' '],
      [[], []],
    ] as const) {
      const p = parseProjection(registry, 'User', a, e);
      assert.equal(p.mode, 'default');
      assert.equal(p.paths.size, 0);
    }
  });

  it('rejects attributes together with excludedAttributes as invalidValue', () => {
    assert.throws(
      () => parseProjection(registry, 'User', 'userName', 'emails'),
      (error: unknown) => {
        assert.ok(error instanceof ScimException);
        assert.equal(error.scimType, 'invalidValue');
        assert.equal(error.status, 400);
        assert.equal(error.detail, "'attributes' and 'excludedAttributes' cannot be used together");
        return true;
      },
    );
  });
});

describe('projectResource on User', () => {
  it('returns default and always attributes by default, never password, meta last', () => {
    const out = project();
    assert.deepEqual(out, ALL_DEFAULT);
    assert.deepEqual(Object.keys(out), [
      'schemas',
      'id',
      'externalId',
      'userName',
      'name',
      'emails',
      'groups',
      ENT,
      'meta',
    ]);
    assert.deepEqual(projectResource(registry, 'User', USER, DEFAULT_PROJECTION), ALL_DEFAULT);
  });

  it('attributes=userName keeps id, schemas and userName only (meta is returned "default")', () => {
    assert.equal(COMMON_ATTRIBUTES.find((a) => a.name === 'meta')?.returned, 'default');
    assert.deepEqual(project('userName'), { schemas: [SCHEMA_USER], id: '1', userName: 'bjensen' });
  });

  const includeCases: [string, string | string[], ScimObject][] = [
    ['a sub-attribute', 'name.givenName', { name: { givenName: 'Barbara' } }],
    ['a sub-attribute of a multi-valued attribute', 'emails.value', { emails: [{ value: 'b@example.com' }] }],
    ['meta, placed last', 'meta', { meta: META }],
    ['a never-returned attribute (nothing)', 'password', {}],
    ['an unknown name (nothing)', 'bogus', {}],
    ['an unregistered URN (nothing)', 'urn:example:x:y', {}],
    ['the base-URN-qualified form', `${SCHEMA_USER}:userName`, { userName: 'bjensen' }],
    ['names in any case', ['USERNAME', 'NAME.GIVENNAME'], { userName: 'bjensen', name: { givenName: 'Barbara' } }],
  ];
  for (const [label, attributes, expected] of includeCases) {
    it(`attributes selects ${label}`, () => {
      assert.deepEqual(project(attributes), { schemas: [SCHEMA_USER], id: '1', ...expected });
    });
  }

  it('attributes selects an extension attribute or sub-attribute, any case', () => {
    assert.deepEqual(project(`${ENT}:department`), {
      schemas: [SCHEMA_USER, ENT],
      id: '1',
      [ENT]: { department: 'Sales' },
    });
    assert.deepEqual(project(`${ENT.toLowerCase()}:MANAGER.VALUE`), {
      schemas: [SCHEMA_USER, ENT],
      id: '1',
      [ENT]: { manager: { value: 'm-1' } },
    });
  });

  it('attributes selects a whole extension by its URN', () => {
    assert.deepEqual(project(ENT.toUpperCase()), { schemas: [SCHEMA_USER, ENT], id: '1', [ENT]: USER[ENT] });
  });

  it('meta comes last also when combined with other attributes', () => {
    assert.deepEqual(Object.keys(project('meta,userName,' + ENT)), ['schemas', 'id', 'userName', ENT, 'meta']);
  });

  const excludeCases: [string, string | string[], ScimObject][] = [
    ['emails and meta', 'emails,meta', without(ALL_DEFAULT, 'emails', 'meta')],
    ['id: not removable (returned always)', 'id', ALL_DEFAULT],
    ['an unknown name: nothing', 'bogus', ALL_DEFAULT],
    ['a sub-attribute', 'NAME.givenname', { ...ALL_DEFAULT, name: { familyName: 'Jensen' } }],
    [
      'an extension attribute',
      `${ENT}:department`,
      { ...ALL_DEFAULT, [ENT]: { manager: { value: 'm-1', displayName: 'Boss' } } },
    ],
    ['a whole extension, also from schemas', ENT, { ...without(ALL_DEFAULT, ENT), schemas: [SCHEMA_USER] }],
  ];
  for (const [label, excluded, expected] of excludeCases) {
    it(`excludedAttributes removes ${label}`, () => {
      assert.deepEqual(project(undefined, excluded), expected);
    });
  }

  it('lists an extension in schemas only when some of it remains', () => {
    const noDept = { ...USER, [ENT]: { department: 'Sales' } };
    const p = parseProjection(registry, 'User', undefined, `${ENT}:department`);
    assert.deepEqual(projectResource(registry, 'User', noDept, p)['schemas'], [SCHEMA_USER]);
    const bare = without(USER, ENT);
    assert.deepEqual(projectResource(registry, 'User', bare, DEFAULT_PROJECTION)['schemas'], [SCHEMA_USER]);
  });
});

describe('projectResource on Group', () => {
  it('returns displayName and members by default', () => {
    const group = { schemas: [SCHEMA_GROUP], id: 'g', displayName: 'G', members: [{ value: 'u1', display: 'A' }] };
    assert.deepEqual(projectResource(registry, 'Group', group, DEFAULT_PROJECTION), group);
    const p = parseProjection(registry, 'Group', 'members.value');
    assert.deepEqual(projectResource(registry, 'Group', group, p), {
      schemas: [SCHEMA_GROUP],
      id: 'g',
      members: [{ value: 'u1' }],
    });
  });
});

describe('returned "request" (custom schema)', () => {
  const schema: SchemaDefinition = {
    id: 'urn:example:schemas:Thing',
    name: 'Thing',
    description: '',
    attributes: [
      attribute('label', 'string'),
      attribute('secret', 'string', { returned: 'request' }),
      attribute('profile', 'complex', {
        subAttributes: [attribute('a', 'string'), attribute('b', 'string', { returned: 'request' })],
      }),
    ],
  };
  const custom = new SchemaRegistry(
    [schema],
    [
      {
        id: 'User',
        name: 'User',
        endpoint: '/Things',
        description: '',
        schema: schema.id,
        schemaExtensions: [],
        storage: { table: 'things', alias: 't', columns: [], computed: [] },
      },
    ],
  );
  const thing = { schemas: [schema.id], id: 't', label: 'L', secret: 'S', profile: { a: 'A', b: 'B' } };
  const run = (attributes?: string, excluded?: string) =>
    projectResource(custom, 'User', thing, parseProjection(custom, 'User', attributes, excluded));

  it('omits request attributes and sub-attributes by default and when excluding others', () => {
    const expected = { schemas: [schema.id], id: 't', label: 'L', profile: { a: 'A' } };
    assert.deepEqual(run(), expected);
    assert.deepEqual(run(undefined, 'secret'), expected);
  });

  it('returns them only when named', () => {
    assert.deepEqual(run('secret'), { schemas: [schema.id], id: 't', secret: 'S' });
    assert.deepEqual(run('profile.b'), { schemas: [schema.id], id: 't', profile: { b: 'B' } });
    assert.deepEqual(run('profile'), { schemas: [schema.id], id: 't', profile: { a: 'A' } });
  });
});

describe('projectionIncludes', () => {
  const def = (returned: AttributeDefinition['returned']) => attribute('x', 'string', { returned });
  const p = (mode: Projection['mode'], ...paths: string[]): Projection => ({ mode, paths: new Set(paths) });
  const cases: [AttributeDefinition['returned'], Projection, boolean][] = [
    ['never', p('default'), false],
    ['never', p('include', 'x'), false],
    ['always', p('include', 'other'), true],
    ['always', p('exclude', 'x'), true],
    ['request', p('default'), false],
    ['request', p('include', 'x'), true],
    ['request', p('exclude', 'other'), false],
    ['default', p('default'), true],
    ['default', p('include', 'other'), false],
    ['default', p('include', 'x.sub'), true],
    ['default', p('include', 'xy'), false],
    ['default', p('exclude', 'x'), false],
    ['default', p('exclude', 'x.sub'), true],
  ];
  for (const [returned, projection, expected] of cases) {
    it(`returned=${returned}, ${projection.mode} [${[...projection.paths].join(',')}] → ${expected}`, () => {
      assert.equal(projectionIncludes(projection, def(returned), 'X'), expected);
    });
  }
});
