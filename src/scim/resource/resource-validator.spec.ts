import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ScimException } from '../errors/scim.exception.js';
import type { ScimType } from '../errors/scim-type.js';
import { attribute, type SchemaDefinition } from '../schema/attribute-definition.js';
import { SchemaRegistry, type ResourceTypeName } from '../schema/schema-registry.js';
import { SCHEMA_ENTERPRISE_USER as ENT, SCHEMA_GROUP, SCHEMA_USER } from '../scim.constants.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-limits.js';
import { validateResource } from './resource-validator.js';

const registry = new SchemaRegistry();
const lax = { strict: false, limits: DEFAULT_INPUT_LIMITS };

function validate(
  body: unknown,
  type: ResourceTypeName = 'User',
  strict = false,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
) {
  return validateResource(registry, type, body, { strict, limits });
}

function assertScimError(fn: () => unknown, scimType: ScimType, detail?: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimException, `expected ScimException, got ${String(error)}`);
    assert.equal(error.scimType, scimType);
    assert.equal(error.status, 400);
    if (detail !== undefined) assert.equal(error.detail, detail);
    return true;
  });
}

describe('validateResource: attribute names', () => {
  it('matches names case-insensitively, also inside complex values, and returns canonical spelling', () => {
    const { doc, unknownAttributes } = validate({
      USERNAME: 'bjensen',
      Name: { GivenName: 'Barbara', FAMILYNAME: 'Jensen' },
      EMAILS: [{ VALUE: 'b@example.com', Type: 'work', PRIMARY: true }],
      externalid: 'e-1',
    });
    assert.deepEqual(doc, {
      schemas: [SCHEMA_USER],
      externalId: 'e-1',
      userName: 'bjensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'b@example.com', type: 'work', primary: true }],
    });
    assert.deepEqual(unknownAttributes, []);
  });

  it('accepts an extension as an object keyed by its URN (any case) and adds the URN to schemas', () => {
    const { doc } = validate({
      schemas: [SCHEMA_USER, ENT],
      userName: 'a',
      [ENT.toLowerCase()]: { Department: 'Sales', MANAGER: { Value: 'm-1' } },
    });
    assert.deepEqual(doc, {
      schemas: [SCHEMA_USER, ENT],
      userName: 'a',
      [ENT]: { department: 'Sales', manager: { value: 'm-1' } },
    });
  });

  it('accepts fully qualified extension and core keys', () => {
    const { doc } = validate({
      [`${SCHEMA_USER}:userName`]: 'a',
      [`${ENT}:department`]: 'Sales',
      [`${ENT.toUpperCase()}:EMPLOYEENUMBER`]: '42',
    });
    assert.deepEqual(doc, {
      schemas: [SCHEMA_USER, ENT],
      userName: 'a',
      [ENT]: { department: 'Sales', employeeNumber: '42' },
    });
  });

  it('rejects a non-object extension value and ignores a null one', () => {
    assertScimError(() => validate({ userName: 'a', [ENT]: 'Sales' }), 'invalidValue', `'${ENT}' must be an object`);
    assert.deepEqual(validate({ userName: 'a', [ENT]: null }).doc, { schemas: [SCHEMA_USER], userName: 'a' });
  });
});

describe('validateResource: schemas and body', () => {
  it('accepts a missing schemas attribute and sets the base schema', () => {
    assert.deepEqual(validate({ userName: 'a' }).doc, { schemas: [SCHEMA_USER], userName: 'a' });
    assert.deepEqual(validate({ displayName: 'G' }, 'Group').doc, { schemas: [SCHEMA_GROUP], displayName: 'G' });
  });

  for (const [label, schemas] of [
    ['a string', SCHEMA_USER],
    ['an object', { 0: SCHEMA_USER }],
    ['an array with a non-string', [SCHEMA_USER, 1]],
  ] as const) {
    it(`rejects schemas given as ${label} with invalidSyntax`, () => {
      assertScimError(
        () => validate({ schemas, userName: 'a' }),
        'invalidSyntax',
        "'schemas' must be an array of schema URNs",
      );
    });
  }

  it('rejects schemas lacking the base URN with invalidSyntax', () => {
    assertScimError(
      () => validate({ schemas: [ENT], userName: 'a' }),
      'invalidSyntax',
      `'schemas' must include ${SCHEMA_USER}`,
    );
    assertScimError(() => validate({ schemas: [], userName: 'a' }), 'invalidSyntax');
    assertScimError(() => validate({ schemas: [SCHEMA_USER], displayName: 'G' }, 'Group'), 'invalidSyntax');
  });

  it('treats the schemas attribute name case-insensitively (RFC 7643 §2.1)', () => {
    assertScimError(() => validate({ SCHEMAS: 'not-an-array', userName: 'a' }), 'invalidSyntax');
  });

  it('accepts the legacy core URN and the base URN in any case; ignores unknown URNs', () => {
    for (const schemas of [
      ['urn:scim:schemas:core:2.0'],
      [SCHEMA_USER.toUpperCase()],
      [SCHEMA_USER, 'urn:example:other'],
    ]) {
      assert.deepEqual(validate({ schemas, userName: 'a' }).doc, { schemas: [SCHEMA_USER], userName: 'a' });
    }
  });

  it('rejects a body that is not a JSON object with invalidSyntax', () => {
    for (const body of [null, [], 'x', 1, undefined]) {
      assertScimError(() => validate(body), 'invalidSyntax', 'Request body must be a JSON object');
    }
  });
});

describe('validateResource: mutability', () => {
  it('ignores readOnly attributes and sub-attributes', () => {
    const { doc, unknownAttributes } = validate({
      id: 'client-id',
      meta: { created: '2020-01-01T00:00:00Z' },
      userName: 'a',
      groups: [{ value: 'g1' }],
      [ENT]: { manager: { value: 'm-1', displayName: 'Boss' } },
    });
    assert.deepEqual(doc, { schemas: [SCHEMA_USER, ENT], userName: 'a', [ENT]: { manager: { value: 'm-1' } } });
    assert.deepEqual(unknownAttributes, []);
  });

  it('drops a complex value whose only sub-attribute is readOnly', () => {
    assert.deepEqual(validate({ userName: 'a', [ENT]: { manager: { displayName: 'Boss' } } }).doc, {
      schemas: [SCHEMA_USER],
      userName: 'a',
    });
  });

  it('ignores members.display on a Group', () => {
    const { doc } = validate({ displayName: 'G', members: [{ value: 'u1', display: 'Alice', type: 'User' }] }, 'Group');
    assert.deepEqual(doc, { schemas: [SCHEMA_GROUP], displayName: 'G', members: [{ value: 'u1', type: 'User' }] });
  });

  it('extracts writeOnly password into writeOnly and never into doc', () => {
    const result = validate({ userName: 'a', PASSWORD: 's3cret' });
    assert.deepEqual(result.doc, { schemas: [SCHEMA_USER], userName: 'a' });
    assert.deepEqual(result.writeOnly, { password: 's3cret' });
    assert.deepEqual(validate({ userName: 'a', password: null }).writeOnly, {});
    assertScimError(
      () => validate({ userName: 'a', password: 42 }),
      'invalidValue',
      "Attribute 'password' must be a string",
    );
  });
});

describe('validateResource: required attributes', () => {
  const cases: [string, ResourceTypeName, Record<string, unknown>, string][] = [
    ['missing userName', 'User', { name: { givenName: 'x' } }, "Attribute 'userName' is required"],
    ['null userName', 'User', { userName: null }, "Attribute 'userName' is required"],
    ['empty userName', 'User', { userName: '' }, "Attribute 'userName' must not be empty"],
    ['blank userName', 'User', { userName: '  ' }, "Attribute 'userName' must not be empty"],
    ['missing Group displayName', 'Group', { members: [] }, "Attribute 'displayName' is required"],
    ['empty Group displayName', 'Group', { displayName: '' }, "Attribute 'displayName' must not be empty"],
  ];
  for (const [label, type, body, detail] of cases) {
    it(`rejects ${label} with invalidValue`, () => assertScimError(() => validate(body, type), 'invalidValue', detail));
  }
});

describe('validateResource: type coercion', () => {
  it('coerces "True"/"false" strings to booleans and rejects other strings', () => {
    assert.equal(validate({ userName: 'a', active: 'True' }).doc['active'], true);
    assert.equal(validate({ userName: 'a', active: 'false' }).doc['active'], false);
    assert.deepEqual(validate({ userName: 'a', emails: [{ value: 'x', primary: 'TRUE' }] }).doc['emails'], [
      { value: 'x', primary: true },
    ]);
    assertScimError(
      () => validate({ userName: 'a', active: 'yes' }),
      'invalidValue',
      "Attribute 'active' must be a boolean",
    );
    assertScimError(() => validate({ userName: 'a', active: 1 }), 'invalidValue');
  });

  it('rejects non-strings for string attributes, with the canonical path', () => {
    assertScimError(() => validate({ userName: ['a'] }), 'invalidValue', "Attribute 'userName' must be a string");
    assertScimError(
      () => validate({ userName: 'a', emails: [{ value: 5 }] }),
      'invalidValue',
      "Attribute 'emails.value' must be a string",
    );
    assertScimError(
      () => validate({ userName: 'a', name: 'Barbara' }),
      'invalidValue',
      "Attribute 'name' must be an object",
    );
  });

  it('checks base64 for x509Certificates.value', () => {
    const ok = validate({ userName: 'a', x509Certificates: [{ value: 'TUlJRGFEQ0NBbENnQXdJQkFnSUJBREFO' }] });
    assert.deepEqual(ok.doc['x509Certificates'], [{ value: 'TUlJRGFEQ0NBbENnQXdJQkFnSUJBREFO' }]);
    assertScimError(
      () => validate({ userName: 'a', x509Certificates: [{ value: 'not base64!' }] }),
      'invalidValue',
      "Attribute 'x509Certificates.value' must be base64 data",
    );
  });

  // No writable integer, decimal or dateTime attribute exists in the core schemas.
  const custom: SchemaDefinition = {
    id: 'urn:example:schemas:Thing',
    name: 'Thing',
    description: '',
    attributes: [attribute('count', 'integer'), attribute('ratio', 'decimal'), attribute('since', 'dateTime')],
  };
  const customRegistry = new SchemaRegistry(
    [custom],
    [
      {
        id: 'User',
        name: 'User',
        endpoint: '/Things',
        description: '',
        schema: custom.id,
        schemaExtensions: [],
        storage: { table: 'things', alias: 't', columns: [], computed: [] },
      },
    ],
  );
  const coerce = (body: Record<string, unknown>) => validateResource(customRegistry, 'User', body, lax).doc;

  it('coerces numeric strings for integer and decimal attributes', () => {
    assert.deepEqual(coerce({ count: '42', ratio: '1.5' }), { schemas: [custom.id], count: 42, ratio: 1.5 });
    assert.deepEqual(coerce({ count: -3, ratio: 2 }), { schemas: [custom.id], count: -3, ratio: 2 });
    for (const count of ['1.5', 1.5, '', 'abc', true]) {
      assertScimError(() => coerce({ count }), 'invalidValue', "Attribute 'count' must be an integer");
    }
    for (const ratio of ['x', '', 'Infinity']) {
      assertScimError(() => coerce({ ratio }), 'invalidValue', "Attribute 'ratio' must be a decimal");
    }
  });

  it('accepts xsd:dateTime values, stored as the same instant in UTC, and rejects malformed ones', () => {
    // Fixed-width UTC text, so filters and sorting on the document compare chronologically.
    assert.deepEqual(coerce({ since: '2026-01-31T12:00:00.5+02:00' }), {
      schemas: [custom.id],
      since: '2026-01-31T10:00:00.500Z',
    });
    assert.equal(coerce({ since: '2026-01-31T12:00:00' })['since'], '2026-01-31T12:00:00.000Z');
    // Year 10000 has no fixed-width form: kept as sent.
    assert.equal(coerce({ since: '10000-01-01T00:00:00Z' })['since'], '10000-01-01T00:00:00Z');
    for (const since of ['2026-01-31', '2026-13-01T00:00:00Z', '2026-01-31 12:00:00Z', 'yesterday', 0]) {
      assertScimError(() => coerce({ since }), 'invalidValue');
    }
  });

  it('rejects a dateTime with a day that does not exist in its month', () => {
    assertScimError(() => coerce({ since: '2026-02-30T00:00:00Z' }), 'invalidValue');
  });
});

describe('validateResource: multi-valued and complex shapes', () => {
  it('wraps a single object given for a multi-valued attribute', () => {
    assert.deepEqual(validate({ userName: 'a', emails: { value: 'a@x' } }).doc['emails'], [{ value: 'a@x' }]);
    assert.deepEqual(validate({ displayName: 'G', members: { value: 'u1' } }, 'Group').doc['members'], [
      { value: 'u1' },
    ]);
  });

  it('treats null, [], null items and empty objects as unassigned', () => {
    for (const emails of [null, [], [null], [{}], [{ value: null }]]) {
      assert.deepEqual(validate({ userName: 'a', emails }).doc, { schemas: [SCHEMA_USER], userName: 'a' });
    }
    assert.deepEqual(validate({ userName: 'a', name: { givenName: null } }).doc, {
      schemas: [SCHEMA_USER],
      userName: 'a',
    });
  });

  it('rejects more than one primary=true value with invalidValue', () => {
    assertScimError(
      () =>
        validate({
          userName: 'a',
          emails: [
            { value: 'a', primary: true },
            { value: 'b', primary: 'True' },
          ],
        }),
      'invalidValue',
      "Attribute 'emails' has more than one value with primary=true",
    );
    const one = validate({
      userName: 'a',
      emails: [
        { value: 'a', primary: true },
        { value: 'b', primary: false },
      ],
    });
    assert.equal((one.doc['emails'] as unknown[]).length, 2);
  });

  it('takes manager as a bare string for {value}, and "" as cleared', () => {
    assert.deepEqual(validate({ userName: 'a', [ENT]: { manager: 'm-1' } }).doc[ENT], { manager: { value: 'm-1' } });
    assert.deepEqual(validate({ userName: 'a', [`${ENT}:manager`]: 'm-2' }).doc[ENT], { manager: { value: 'm-2' } });
    assert.deepEqual(validate({ userName: 'a', [ENT]: { manager: '' } }).doc, {
      schemas: [SCHEMA_USER],
      userName: 'a',
    });
    assertScimError(
      () => validate({ userName: 'a', [ENT]: { manager: 7 } }),
      'invalidValue',
      `Attribute '${ENT}:manager' must be an object`,
    );
  });
});

describe('validateResource: unknown attributes', () => {
  const body = {
    userName: 'a',
    foo: 1,
    name: { bar: 'x', givenName: 'B' },
    'urn:example:entra:ext:1.0:User:costCode': 'c',
    [ENT]: { bogus: true, department: 'D' },
  };

  it('collects unknown attribute paths by default and keeps the known ones', () => {
    const { doc, unknownAttributes } = validate(body);
    assert.deepEqual(doc, {
      schemas: [SCHEMA_USER, ENT],
      userName: 'a',
      name: { givenName: 'B' },
      [ENT]: { department: 'D' },
    });
    assert.deepEqual([...unknownAttributes].sort(), [
      'foo',
      'name.bar',
      'urn:example:entra:ext:1.0:User:costCode',
      `${ENT}:bogus`,
    ]);
  });

  for (const [label, extra] of [
    ['top-level', { foo: 1 }],
    ['sub-attribute', { name: { bar: 'x' } }],
    ['unregistered URN', { 'urn:example:x:y': 1 }],
    ['extension attribute', { [ENT]: { bogus: 1 } }],
  ] as const) {
    it(`rejects an unknown ${label} with invalidValue in strict mode`, () => {
      assertScimError(() => validate({ userName: 'a', ...extra }, 'User', true), 'invalidValue');
    });
  }

  it('names the path in the strict-mode error', () => {
    assertScimError(
      () => validate({ userName: 'a', name: { bar: 1 } }, 'User', true),
      'invalidValue',
      "Attribute 'name.bar' is not defined by the resource's schemas",
    );
  });
});

describe('validateResource: input limits', () => {
  const small: InputLimits = { ...DEFAULT_INPUT_LIMITS, valuesPerAttribute: 2, stringBytes: 300 };

  it('bounds the values of every multi-valued attribute but Group members (set-based)', () => {
    const emails = [{ value: 'a@x' }, { value: 'b@x' }, { value: 'c@x' }];
    assertScimError(
      () => validate({ userName: 'a', emails }, 'User', false, small),
      'invalidValue',
      "Attribute 'emails' has 3 values; the limit is 2 per attribute (MAX_VALUES_PER_ATTRIBUTE)",
    );
    assert.equal(
      (validate({ userName: 'a', emails: emails.slice(0, 2) }, 'User', false, small).doc['emails'] as unknown[]).length,
      2,
    );
    const members = [{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }];
    assert.equal(
      (validate({ displayName: 'g', members }, 'Group', false, small).doc['members'] as unknown[]).length,
      3,
    );
  });

  it('bounds every stored string, sub-attributes, extensions and writeOnly ones included', () => {
    const long = 'x'.repeat(301);
    for (const [body, path] of [
      [{ userName: long }, 'userName'],
      [{ userName: 'a', name: { givenName: long } }, 'name.givenName'],
      [{ userName: 'a', [ENT]: { department: long } }, `${ENT}:department`],
      [{ userName: 'a', [ENT]: { manager: long } }, `${ENT}:manager.value`],
      [{ userName: 'a', password: long }, 'password'],
    ] as const) {
      assertScimError(
        () => validate(body, 'User', false, small),
        'invalidValue',
        `Attribute '${path}' has 301 bytes; the limit is 300 bytes per string (MAX_STRING_BYTES)`,
      );
    }
  });

  it('refuses NUL in any stored string, naming the attribute', () => {
    assertScimError(
      () => validate({ userName: 'a', emails: [{ value: 'a\u0000@x' }] }),
      'invalidValue',
      "Attribute 'emails.value' must not contain the NUL character (U+0000)",
    );
    assertScimError(
      () => validate({ displayName: '\u0000' }, 'Group'),
      'invalidValue',
      "Attribute 'displayName' must not contain the NUL character (U+0000)",
    );
  });
});
