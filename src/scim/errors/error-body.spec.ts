import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toErrorBody } from './error-body.js';
import { ScimException } from './scim.exception.js';

describe('toErrorBody (RFC 7644 §3.12)', () => {
  it('renders status as a string and scimType when there is one, in that order', () => {
    const body = toErrorBody(ScimException.uniqueness("userName 'a' is already taken"));
    assert.equal(
      JSON.stringify(body),
      JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'uniqueness',
        detail: "userName 'a' is already taken",
      }),
    );
  });

  it('leaves scimType out when the error has none', () => {
    const body = toErrorBody(ScimException.notFound('User', 'x'));
    assert.equal(body.status, '404');
    assert.equal('scimType' in body, false);
  });
});
