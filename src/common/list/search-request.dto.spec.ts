import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { MESSAGE_SEARCH_REQUEST } from '../../scim/scim.constants.js';
import { SearchRequestDto } from './search-request.dto.js';

function check(body: Record<string, unknown>): { dto: SearchRequestDto; errors: string[] } {
  const dto = plainToInstance(SearchRequestDto, body);
  const errors = validateSync(dto, { forbidUnknownValues: false }).flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`),
  );
  return { dto, errors };
}

const schemas = [MESSAGE_SEARCH_REQUEST];

describe('SearchRequestDto (RFC 7644 §3.4.3, RFC 9865 §3)', () => {
  it('accepts the RFC 7644 §3.4.3 example body', () => {
    const { dto, errors } = check({
      schemas,
      attributes: ['displayName', 'userName'],
      filter: 'displayName sw "smith"',
      startIndex: 1,
      count: 10,
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(dto.attributes, ['displayName', 'userName']);
    assert.equal(dto.filter, 'displayName sw "smith"');
    assert.equal(dto.startIndex, 1);
    assert.equal(dto.count, 10);
  });

  it('reads null filter, sortBy, cursor, attributes and excludedAttributes as absent (RFC 7643 §2.5)', () => {
    const { dto, errors } = check({
      schemas,
      filter: null,
      sortBy: null,
      cursor: null,
      attributes: null,
      excludedAttributes: null,
    });
    assert.deepEqual(errors, []);
    assert.equal(dto.attributes, undefined);
    assert.equal(dto.excludedAttributes, undefined);
    assert.equal(dto.filter, undefined);
    assert.equal(dto.sortBy, undefined);
    assert.equal(dto.cursor, undefined);
  });

  it('accepts a body with only schemas', () => {
    const { dto, errors } = check({ schemas });
    assert.deepEqual(errors, []);
    assert.equal(dto.attributes, undefined);
    assert.equal(dto.cursor, undefined);
  });

  it('matches the schema URI case-insensitively and alongside other URIs', () => {
    assert.deepEqual(check({ schemas: [MESSAGE_SEARCH_REQUEST.toUpperCase()] }).errors, []);
    assert.deepEqual(check({ schemas: ['urn:example:x', MESSAGE_SEARCH_REQUEST] }).errors, []);
  });

  it('accepts a cursor, including the empty first-page cursor', () => {
    assert.equal(check({ schemas, cursor: 'abc.def', count: 5 }).dto.cursor, 'abc.def');
    assert.deepEqual(check({ schemas, cursor: '' }).errors, []);
  });

  it('normalises comma-separated and array attribute lists to trimmed string[]', () => {
    const { dto, errors } = check({
      schemas,
      attributes: ' userName, emails ,,name.givenName',
      excludedAttributes: ['groups', 'meta , x509Certificates'],
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(dto.attributes, ['userName', 'emails', 'name.givenName']);
    assert.deepEqual(dto.excludedAttributes, ['groups', 'meta', 'x509Certificates']);
  });

  it('lower-cases sortOrder', () => {
    const { dto, errors } = check({ schemas, sortBy: 'userName', sortOrder: 'DESCENDING' });
    assert.deepEqual(errors, []);
    assert.equal(dto.sortOrder, 'descending');
  });

  it('accepts integer strings for startIndex and count', () => {
    const { dto, errors } = check({ schemas, startIndex: '3', count: ' 20 ' });
    assert.deepEqual(errors, []);
    assert.equal(dto.startIndex, 3);
    assert.equal(dto.count, 20);
  });

  it('ignores unknown members', () => {
    assert.deepEqual(check({ schemas, aadOptscim062020: true }).errors, []);
  });

  const rejected: [string, Record<string, unknown>, string[]][] = [
    [
      'missing schemas',
      {},
      [
        'schemas: schemas must contain "urn:ietf:params:scim:api:messages:2.0:SearchRequest"',
        'schemas: schemas must be an array',
      ],
    ],
    [
      'schemas as a string',
      { schemas: MESSAGE_SEARCH_REQUEST },
      [
        'schemas: schemas must contain "urn:ietf:params:scim:api:messages:2.0:SearchRequest"',
        'schemas: schemas must be an array',
      ],
    ],
    [
      'schemas without SearchRequest',
      { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] },
      ['schemas: schemas must contain "urn:ietf:params:scim:api:messages:2.0:SearchRequest"'],
    ],
    [
      'attributes as a number',
      { schemas, attributes: 5 },
      [
        'attributes: attributes must contain only strings',
        'attributes: attributes must be an array of strings or a comma-separated string',
      ],
    ],
    [
      'attributes with a non-string item',
      { schemas, attributes: ['userName', 3] },
      ['attributes: attributes must contain only strings'],
    ],
    ['filter as an object', { schemas, filter: { op: 'eq' } }, ['filter: filter must be a string']],
    [
      'sortOrder not ascending or descending',
      { schemas, sortOrder: 'up' },
      ['sortOrder: sortOrder must be one of the following values: ascending, descending'],
    ],
    ['fractional startIndex', { schemas, startIndex: 1.5 }, ['startIndex: startIndex must be an integer']],
    ['non-numeric count', { schemas, count: 'ten' }, ['count: count must be an integer']],
    ['cursor as a number', { schemas, cursor: 7 }, ['cursor: cursor must be a string']],
    [
      'overlong sortBy',
      { schemas, sortBy: 'a'.repeat(1001) },
      ['sortBy: sortBy must be shorter than or equal to 1000 characters'],
    ],
  ];
  for (const [label, body, messages] of rejected) {
    it(`rejects ${label}`, () => {
      assert.deepEqual(check(body).errors.sort(), [...messages].sort());
    });
  }
});
