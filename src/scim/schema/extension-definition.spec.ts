import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimException } from '../errors/scim.exception.js';
import { breakingChanges } from './extension-change.js';
import { EXTENSION_LIMITS, parseExtensionDefinition } from './extension-definition.js';
import { DEFAULT_SCHEMAS } from './resource-types.js';

const RESERVED = DEFAULT_SCHEMAS.map((s) => s.id);
const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';

function body(attributes: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: ACME, name: 'Acme', resourceType: 'User', attributes, ...extra };
}

function refused(input: unknown, pattern: RegExp): void {
  assert.throws(
    () => parseExtensionDefinition(input, RESERVED),
    (error: unknown) => {
      assert.ok(error instanceof ScimException, String(error));
      assert.equal(error.status, 400);
      assert.match(error.detail, pattern);
      return true;
    },
  );
}

describe('parseExtensionDefinition', () => {
  it('fills RFC 7643 §2.2 defaults and keeps what is given', () => {
    const parsed = parseExtensionDefinition(
      body(
        [
          { name: 'costCenter', type: 'string' },
          { name: 'badge', type: 'integer', uniqueness: 'server' },
          {
            name: 'projects',
            type: 'complex',
            multiValued: true,
            subAttributes: [
              { name: 'value', type: 'string', caseExact: true },
              { name: 'role', type: 'string', canonicalValues: ['lead', 'member'] },
            ],
          },
          { name: 'homepage', type: 'reference', referenceTypes: ['external'] },
        ],
        { required: true },
      ),
      RESERVED,
    );
    assert.equal(parsed.resourceType, 'User');
    assert.equal(parsed.required, true);
    const [cost, badge, projects, homepage] = parsed.schema.attributes;
    assert.deepEqual(cost, {
      name: 'costCenter',
      type: 'string',
      multiValued: false,
      description: '',
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    });
    assert.equal(badge?.uniqueness, 'server');
    assert.deepEqual(
      projects?.subAttributes?.map((s) => [s.name, s.caseExact, s.canonicalValues]),
      [
        ['value', true, undefined],
        ['role', false, ['lead', 'member']],
      ],
    );
    // RFC 7643 §2.3.7: references are case-exact.
    assert.equal(homepage?.caseExact, true);
  });

  it('refuses an unknown type, naming the attribute', () => {
    refused(body([{ name: 'costCenter', type: 'text' }]), /attribute 'costCenter': unknown type "text"/);
    refused(body([{ name: 'blob', type: 'binary' }]), /attribute 'blob': unknown type "binary"/);
  });

  it('refuses a complex attribute inside a complex one, naming the path', () => {
    refused(
      body([
        {
          name: 'projects',
          type: 'complex',
          subAttributes: [{ name: 'owner', type: 'complex', subAttributes: [{ name: 'id', type: 'string' }] }],
        },
      ]),
      /attribute 'projects\.owner': a complex attribute cannot be a sub-attribute/,
    );
  });

  it('refuses URNs that are malformed or clash with the server schemas', () => {
    refused(body([{ name: 'a', type: 'string' }], { id: 'acme-extension' }), /'id': must be a URN/);
    refused(body([{ name: 'a', type: 'string' }], { id: 'urn:acme:x y' }), /'id': must be a URN/);
    refused(body([{ name: 'a', type: 'string' }], { id: 'urn:acme:User:' }), /'id': must be a URN/);
    refused(
      body([{ name: 'a', type: 'string' }], { id: 'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER' }),
      /clashes with the server's schema urn:ietf:params:scim:schemas:core:2\.0:User/,
    );
    refused(
      body([{ name: 'a', type: 'string' }], { id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:x' }),
      /clashes with the server's schema/,
    );
    refused(
      body([{ name: 'a', type: 'string' }], { id: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User' }),
      /reserved for the RFCs/,
    );
  });

  it('refuses duplicate attribute names, case-insensitively, at both levels', () => {
    refused(
      body([
        { name: 'badge', type: 'integer' },
        { name: 'Badge', type: 'string' },
      ]),
      /attribute 'Badge': is defined twice/,
    );
    refused(
      body([
        {
          name: 'projects',
          type: 'complex',
          subAttributes: [
            { name: 'value', type: 'string' },
            { name: 'VALUE', type: 'string' },
          ],
        },
      ]),
      /attribute 'projects\.VALUE': is defined twice/,
    );
  });

  it('refuses characteristics this server cannot honour', () => {
    refused(body([{ name: 'a', type: 'string', uniqueness: 'global' }]), /uniqueness 'global' is not supported/);
    refused(body([{ name: 'a', type: 'string', mutability: 'writeOnly' }]), /writeOnly/);
    refused(body([{ name: 'a', type: 'string', required: true, mutability: 'readOnly' }]), /cannot be required/);
    refused(
      body([{ name: 'p', type: 'complex', subAttributes: [{ name: 'v', type: 'string', uniqueness: 'server' }] }]),
      /attribute 'p\.v': uniqueness 'server' applies to top-level simple attributes only/,
    );
    refused(body([{ name: 'a', type: 'integer', canonicalValues: ['1'] }]), /canonicalValues' applies to string/);
    refused(body([{ name: 'a', type: 'string', subAttributes: [] }]), /'subAttributes' applies to complex/);
    refused(body([{ name: 'a', type: 'complex' }]), /needs 'subAttributes'/);
    refused(body([{ name: 'a', type: 'string', multivalued: true }]), /unknown characteristic 'multivalued'/);
    refused(body([{ name: 'a', type: 'string', required: 'yes' }]), /'required' must be true or false/);
    refused(body([{ name: 'a', type: 'string', returned: 'sometimes' }]), /'returned' must be one of/);
  });

  it('refuses bad names and what exceeds its bounds', () => {
    refused(body([{ name: '1st', type: 'string' }]), /attributes\[0\]: 'name' must be an attribute name/);
    refused(body([{ name: 'a.b', type: 'string' }]), /'name' must be an attribute name/);
    refused(body([{ name: 'x'.repeat(EXTENSION_LIMITS.nameLength + 1), type: 'string' }]), /at most 64/);
    const many = Array.from({ length: EXTENSION_LIMITS.attributes + 1 }, (_, i) => ({ name: `a${i}`, type: 'string' }));
    refused(body(many), /'attributes': must be an array of 1 to 100/);
    refused(body([]), /'attributes': must be an array of 1 to 100/);
    refused(
      body([{ name: 'a', type: 'string', description: 'd'.repeat(1025) }]),
      /'description' must have at most 1024/,
    );
    refused(body([{ name: 'a', type: 'string' }], { resourceType: 'Device' }), /'resourceType' must be one of User/);
    refused(body([{ name: 'a', type: 'string' }], { extra: 1 }), /'extra': is not a schema characteristic/);
    refused('nope', /must be a JSON object/);
  });
});

describe('breakingChanges', () => {
  const v1 = parseExtensionDefinition(
    body([
      { name: 'costCenter', type: 'string' },
      { name: 'badge', type: 'integer', uniqueness: 'server' },
      { name: 'projects', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }] },
    ]),
    RESERVED,
  );

  it('finds nothing when attributes are only added', () => {
    const v2 = parseExtensionDefinition(
      body([...v1.schema.attributes, { name: 'floor', type: 'integer' }] as unknown[]),
      RESERVED,
    );
    assert.deepEqual(breakingChanges(v1, v2), []);
  });

  it('names removed, retyped and re-keyed attributes with the top-level attribute whose values decide', () => {
    const v2 = parseExtensionDefinition(
      body([
        { name: 'badge', type: 'string', uniqueness: 'server' },
        { name: 'projects', type: 'complex', multiValued: true, subAttributes: [{ name: 'role', type: 'string' }] },
        { name: 'costcenter', type: 'string', uniqueness: 'server' },
      ]),
      RESERVED,
    );
    assert.deepEqual(breakingChanges(v1, v2), [
      { path: 'costCenter', attribute: 'costCenter', reason: 'uniqueness' },
      { path: 'badge', attribute: 'badge', reason: 'retyped' },
      { path: 'projects.value', attribute: 'projects', reason: 'removed' },
    ]);
  });
});
