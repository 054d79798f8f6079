import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ResourceTypeName } from '../schema/schema-registry.js';
import { SCHEMA_ENTERPRISE_USER, SCHEMA_USER } from '../scim.constants.js';
import { parsePatchPath } from './patch-path.parser.js';
import { assertScimError, registry } from './patch-test.helpers.js';
import type { PatchPath } from './patch.types.js';

function parse(text: string, type: ResourceTypeName = 'User'): PatchPath {
  return parsePatchPath(registry, type, text);
}

/** `kind canonical-path [filter attributes]` — enough to pin what a path resolved to. */
function describePath(path: PatchPath): string {
  switch (path.kind) {
    case 'schema':
      return `schema ${path.schemaUri}`;
    case 'attribute':
      return `attribute ${path.target.path}`;
    case 'valuePath':
      return `valuePath ${path.target.path} filter=${path.filter.kind}`;
  }
}

describe('parsePatchPath: attrPath (RFC 7644 §3.5.2 PATH)', () => {
  const cases: [string, string, ResourceTypeName?][] = [
    ['userName', 'attribute userName'],
    ['USERNAME', 'attribute userName'],
    ['name.givenName', 'attribute name.givenName'],
    ['NAME.GIVENNAME', 'attribute name.givenName'],
    ['emails.value', 'attribute emails.value'],
    ['externalId', 'attribute externalId'],
    ['meta.lastModified', 'attribute meta.lastModified'],
    ['members', 'attribute members', 'Group'],
    ['displayName', 'attribute displayName', 'Group'],
    [`${SCHEMA_USER}:name.givenName`, 'attribute name.givenName'],
    [`${SCHEMA_USER}:userName`, 'attribute userName'],
    [`${SCHEMA_ENTERPRISE_USER}:manager`, `attribute ${SCHEMA_ENTERPRISE_USER}:manager`],
    [`${SCHEMA_ENTERPRISE_USER}:manager.value`, `attribute ${SCHEMA_ENTERPRISE_USER}:manager.value`],
    [`${SCHEMA_ENTERPRISE_USER}:DEPARTMENT`, `attribute ${SCHEMA_ENTERPRISE_USER}:department`],
    // The occasional dot after the URN, which some clients send for the RFC 7644 §3.10 colon.
    [`${SCHEMA_ENTERPRISE_USER}.employeeNumber`, `attribute ${SCHEMA_ENTERPRISE_USER}:employeeNumber`],
    [SCHEMA_ENTERPRISE_USER, `schema ${SCHEMA_ENTERPRISE_USER}`],
    [SCHEMA_ENTERPRISE_USER.toUpperCase(), `schema ${SCHEMA_ENTERPRISE_USER}`],
    ['  userName ', 'attribute userName'],
  ];
  for (const [text, expected, type] of cases) {
    it(`${text} → ${expected}`, () => assert.equal(describePath(parse(text, type)), expected));
  }

  it('keeps the canonical definitions of attribute and sub-attribute', () => {
    const path = parse(`${SCHEMA_ENTERPRISE_USER}:Manager.Value`);
    assert.equal(path.kind, 'attribute');
    assert.equal(path.target.schemaUri, SCHEMA_ENTERPRISE_USER);
    assert.equal(path.target.attribute.name, 'manager');
    assert.equal(path.target.subAttribute?.name, 'value');
  });
});

describe('parsePatchPath: valuePath (RFC 7644 §3.5.2 valuePath [subAttr])', () => {
  const cases: [string, string, ResourceTypeName?][] = [
    ['members[value eq "2819c223"]', 'valuePath members filter=compare', 'Group'],
    ['members[value eq 123abc]', 'valuePath members filter=compare', 'Group'],
    ['members[value eq "a" or value eq "b"]', 'valuePath members filter=or', 'Group'],
    ['emails[type eq "work"].value', 'valuePath emails.value filter=compare'],
    ['addresses[type eq "work"].streetAddress', 'valuePath addresses.streetAddress filter=compare'],
    ['emails[type eq "work" and value ew "example.com"]', 'valuePath emails filter=and'],
    ['EMAILS[TYPE eq "work"].VALUE', 'valuePath emails.value filter=compare'],
    ['emails[value eq "a]b"].type', 'valuePath emails.type filter=compare'],
    [`${SCHEMA_USER}:emails[type eq "work"].value`, 'valuePath emails.value filter=compare'],
  ];
  for (const [text, expected, type] of cases) {
    it(`${text} → ${expected}`, () => assert.equal(describePath(parse(text, type)), expected));
  }

  it('validates the bracket filter in element scope', () => {
    const path = parse('emails[type eq "work"]');
    assert.equal(path.kind, 'valuePath');
    assert.equal(path.filter.kind, 'compare');
    assert.equal(path.filter.attribute.path, 'emails.type');
    assert.equal(path.filter.value, 'work');
  });
});

describe('parsePatchPath errors', () => {
  const invalidPaths: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['name.givenName.extra', /Malformed path/],
    ['name..givenName', /Malformed path/],
    ['1name', /Malformed path/],
    ['emails[type eq "work"', /Malformed path/],
    ['emails[type eq "work"]value', /Malformed path/],
    ['emails[type eq "work"].', /Malformed path/],
    ['[type eq "work"]', /Malformed path/],
    ['nickname2', /unknown attribute "nickname2" for User resources/],
    ['members', /unknown attribute "members" for User resources/],
    ['userName', /unknown attribute "userName" for Group resources/],
    ['name.nickName', /unknown sub-attribute "nickName" of "name"/],
    ['userName.value', /"userName" has no sub-attributes/],
    ['userName[value eq "x"]', /needs a multi-valued complex attribute/],
    ['name[givenName eq "x"]', /needs a multi-valued complex attribute/],
    ['emails[type eq "work"].nope', /unknown sub-attribute "nope" of "emails"/],
    ['urn:example:unknown:2.0:User:foo', /does not start with a schema URN of User resources/],
    [`${SCHEMA_ENTERPRISE_USER}:nope`, /unknown attribute "nope" in schema .*enterprise/],
    [`${SCHEMA_ENTERPRISE_USER}:manager.nope`, /unknown sub-attribute "nope"/],
  ];
  for (const [text, detail] of invalidPaths) {
    it(`"${text}" → invalidPath`, () => {
      const type: ResourceTypeName = text === 'userName' ? 'Group' : 'User';
      assertScimError(() => parse(text, type), 'invalidPath', detail);
    });
  }

  const invalidFilters: [string, RegExp][] = [
    ['emails[]', /empty/],
    ['emails[type eq]', /Expected a value/],
    ['emails[type xx "work"]', /Expected an operator/],
    ['emails[nope eq "work"]', /Unknown attribute "emails\[nope\]"/],
    ['emails[type eq "work" and x[y eq 1]]', /nested|cannot be nested|Expected/],
    ['emails[primary gt true]', /"gt" cannot compare the boolean/],
  ];
  for (const [text, detail] of invalidFilters) {
    it(`"${text}" → invalidFilter`, () => {
      assertScimError(() => parse(text), 'invalidFilter', detail);
    });
  }
});
