import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ScimException } from '../errors/scim.exception.js';
import { SchemaRegistry, type ResourceTypeName } from '../schema/schema-registry.js';
import { SCHEMA_ENTERPRISE_USER } from '../scim.constants.js';
import { parseFilter } from './filter.parser.js';
import { visitFilter } from './filter.visitor.js';
import { validateFilter, type FilterAnnotation, type ValidatedFilter } from './validate-filter.js';

const registry = new SchemaRegistry();

function validate(text: string, type: ResourceTypeName = 'User'): ValidatedFilter {
  return validateFilter(parseFilter(text), registry, type);
}

function assertInvalid(text: string, detail: string | RegExp, type: ResourceTypeName = 'User'): void {
  assert.throws(
    () => validate(text, type),
    (error: unknown) => {
      assert.ok(error instanceof ScimException, `expected ScimException, got ${String(error)}`);
      assert.equal(error.scimType, 'invalidFilter');
      if (typeof detail === 'string') assert.equal(error.detail, detail);
      else assert.match(error.detail, detail);
      return true;
    },
  );
}

/** The canonical path and compared value of a single-comparison filter. */
function comparison(text: string, type: ResourceTypeName = 'User'): [string, unknown] {
  const node = validate(text, type);
  assert.equal(node.kind, 'compare');
  return [node.attribute.path, node.value];
}

describe('validateFilter resolution', () => {
  it('annotates every attribute with its canonical resolved path', () => {
    const node = validate('USERNAME eq "bjensen" and (title pr or not (emails.TYPE eq "work"))');
    assert.equal(node.kind, 'and');
    assert.deepEqual(collectPaths(node), ['userName', 'title', 'emails.type']);
  });

  it('resolves extension attributes by URN', () => {
    assert.deepEqual(comparison(`${SCHEMA_ENTERPRISE_USER}:department eq "Tour Operations"`), [
      `${SCHEMA_ENTERPRISE_USER}:department`,
      'Tour Operations',
    ]);
    assert.deepEqual(comparison(`${SCHEMA_ENTERPRISE_USER}:manager.value eq "26118915"`), [
      `${SCHEMA_ENTERPRISE_USER}:manager.value`,
      '26118915',
    ]);
  });

  it('resolves common attributes, including meta.lastModified with a dateTime', () => {
    assert.deepEqual(comparison('meta.lastModified gt "2011-05-13T04:42:34Z"'), [
      'meta.lastModified',
      '2011-05-13T04:42:34Z',
    ]);
    assert.deepEqual(comparison('externalId eq "x"', 'Group'), ['externalId', 'x']);
  });

  it('resolves Group attributes and rejects User ones on Group', () => {
    assert.deepEqual(comparison('members.value eq "2819c223"', 'Group'), ['members.value', '2819c223']);
    assertInvalid('userName eq "x"', 'Unknown attribute "userName" for Group resources', 'Group');
  });

  it('resolves value-path filters as sub-attributes of the bracketed attribute', () => {
    const node = validate('emails[type eq "work" and value co "@example.com"]');
    assert.equal(node.kind, 'valuePath');
    assert.equal(node.attribute.path, 'emails');
    assert.deepEqual(collectPaths(node.filter), ['emails.type', 'emails.value']);
    const trailing = validate('emails[type eq "work"].value eq "x@example.com"');
    assert.deepEqual(collectPaths(trailing), ['emails', 'emails.type', 'emails.value']);
  });

  it('compares a complex attribute without sub-attribute through its "value"', () => {
    const node = validate('emails co "example.com"');
    assert.equal(node.kind, 'compare');
    assert.deepEqual(node.path, { name: 'emails' });
    assert.equal(node.attribute.path, 'emails.value');
    assertInvalid('name eq "x"', '"name" is complex; compare one of its sub-attributes instead');
    assert.equal(validate('name pr').kind, 'present');
  });

  it('rejects unknown attributes and sub-attributes, naming them', () => {
    assertInvalid('nosuch eq "x"', 'Unknown attribute "nosuch" for User resources');
    assertInvalid('userName pr and name.nosuch pr', 'Unknown attribute "name.nosuch" for User resources');
    assertInvalid('emails[nosuch eq "x"]', 'Unknown attribute "emails[nosuch]" for User resources');
    assertInvalid('department eq "x"', 'Unknown attribute "department" for User resources');
    assertInvalid('urn:x:y:userName eq "x"', 'Unknown attribute "urn:x:y:userName" for User resources');
    assertInvalid('emails[value.x eq "x"]', 'Expected a sub-attribute name inside "emails[value.x]"');
  });

  it('rejects value paths on attributes that are not multi-valued complex', () => {
    assertInvalid('userName[value eq "x"]', /needs a multi-valued complex attribute; "userName" is not one/);
    assertInvalid('name[givenName eq "x"]', /needs a multi-valued complex attribute; "name" is not one/);
  });
});

describe('validateFilter operators and values (RFC 7644 §3.4.2.2)', () => {
  it('rejects ordering operators on boolean and binary attributes', () => {
    assertInvalid('active gt true', '"gt" cannot compare the boolean attribute "active"');
    assertInvalid(
      'x509Certificates.value le "AAAA"',
      '"le" cannot compare the binary attribute "x509Certificates.value"',
    );
  });

  it('rejects substring operators on non-text attributes', () => {
    assertInvalid('active co "t"', '"co" cannot compare the boolean attribute "active"');
    assertInvalid('meta.created sw "2011"', '"sw" cannot compare the dateTime attribute "meta.created"');
  });

  it('checks boolean values and accepts "true"/"false" strings from Entra ID', () => {
    assert.deepEqual(comparison('active eq true'), ['active', true]);
    assert.deepEqual(comparison('active eq "False"'), ['active', false]);
    assert.deepEqual(comparison('emails.primary eq "TRUE"'), ['emails.primary', true]);
    assertInvalid('active eq "yes"', '"active" is compared with "yes"; expected true or false');
    assertInvalid('active eq 1', '"active" is compared with 1; expected true or false');
  });

  it('checks dateTime values as xsd:dateTime', () => {
    assert.deepEqual(comparison('meta.created ge "2011-05-13T04:42:34.123+02:00"'), [
      'meta.created',
      '2011-05-13T04:42:34.123+02:00',
    ]);
    assertInvalid('meta.created gt "yesterday"', /^"meta.created" is compared with "yesterday"; expected a dateTime/);
    assertInvalid('meta.created gt "2011-02-30T00:00:00Z"', /expected a dateTime/);
    assertInvalid('meta.created gt 2011', /expected a dateTime/);
  });

  it('keeps string values and reads unquoted numbers as their text', () => {
    assert.deepEqual(comparison('externalId eq 12345'), ['externalId', '12345']);
    assert.deepEqual(comparison('userName eq jyoung'), ['userName', 'jyoung']);
  });

  it('allows null only with eq and ne', () => {
    assert.deepEqual(comparison('title eq null'), ['title', null]);
    assert.deepEqual(comparison('active ne null'), ['active', null]);
    assertInvalid('title gt null', 'Only "eq" and "ne" can compare "title" with null');
  });

  it('never drops a clause', () => {
    const text = 'userName eq "a" or (title pr and not (emails[type eq "work"]))';
    assert.deepEqual(stripAnnotations(validate(text)), parseFilter(text));
  });
});

/** Canonical paths in the order they appear; also shows the visitor works on validated trees. */
function collectPaths(node: ValidatedFilter): string[] {
  return visitFilter<string[], FilterAnnotation>(node, {
    compare: (n) => [n.attribute.path],
    present: (n) => [n.attribute.path],
    and: (n) => [...collectPaths(n.left), ...collectPaths(n.right)],
    or: (n) => [...collectPaths(n.left), ...collectPaths(n.right)],
    not: (n) => collectPaths(n.filter),
    valuePath: (n) => [n.attribute.path, ...collectPaths(n.filter)],
  });
}

function stripAnnotations(node: ValidatedFilter): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'attribute' ? undefined : value)));
}
