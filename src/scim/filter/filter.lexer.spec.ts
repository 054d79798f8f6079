import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ScimException } from '../errors/scim.exception.js';
import { tokenize } from './filter.lexer.js';

describe('tokenize', () => {
  it('records 0-based start positions and ends with eof', () => {
    assert.deepEqual(tokenize('emails[type eq "work"]'), [
      { kind: 'word', start: 0, text: 'emails' },
      { kind: '[', start: 6 },
      { kind: 'word', start: 7, text: 'type' },
      { kind: 'word', start: 12, text: 'eq' },
      { kind: 'string', start: 15, value: 'work' },
      { kind: ']', start: 21 },
      { kind: 'eof', start: 22 },
    ]);
  });

  it('classifies whole words as JSON numbers and literals, and nothing else', () => {
    assert.deepEqual(tokenize('-1.5e+3 TRUE null 1.5.2 1e 00'), [
      { kind: 'number', start: 0, value: -1500, text: '-1.5e+3' },
      { kind: 'literal', start: 8, value: true, text: 'TRUE' },
      { kind: 'literal', start: 13, value: null, text: 'null' },
      { kind: 'word', start: 18, text: '1.5.2' },
      { kind: 'word', start: 24, text: '1e' },
      { kind: 'word', start: 27, text: '00' },
      { kind: 'eof', start: 29 },
    ]);
  });

  it('keeps URNs, dots and $ in one word and splits at brackets, parentheses and quotes', () => {
    const tokens = tokenize('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName)x"y"');
    assert.deepEqual(
      tokens.map((t) => t.kind),
      ['word', ')', 'word', 'string', 'eof'],
    );
    assert.deepEqual(tokens[0], {
      kind: 'word',
      start: 0,
      text: 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName',
    });
  });

  it('decodes surrogate pairs and keeps lone surrogates as JSON.parse does', () => {
    assert.deepEqual(tokenize('"\\ud83d\\ude00\\udc00"')[0], {
      kind: 'string',
      start: 0,
      value: JSON.parse('"\\ud83d\\ude00\\udc00"'),
    });
  });

  for (const filter of ['userName co "\\u0000"', 'userName eq "a\\u0000b"', 'userName eq a\u0000b']) {
    it(`refuses NUL in ${JSON.stringify(filter)} as invalidFilter`, () => {
      assert.throws(
        () => tokenize(filter),
        (e: unknown) => e instanceof ScimException && e.scimType === 'invalidFilter' && /NUL/.test(e.detail),
      );
    });
  }
});
