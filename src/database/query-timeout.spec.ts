import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimException } from '../scim/errors/scim.exception.js';
import { scanError } from './query-timeout.js';

describe('scanError', () => {
  it('maps PostgreSQL query_canceled (57014) to 503 with Retry-After', () => {
    const mapped = scanError(
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    );
    assert.ok(mapped instanceof ScimException);
    assert.equal(mapped.status, 503);
    assert.equal(mapped.scimType, undefined);
    assert.equal(mapped.headers['Retry-After'], '1');
    assert.match(mapped.detail, /QUERY_TIMEOUT_MS/);
    assert.doesNotMatch(mapped.detail, /canceling statement/);
  });

  it('passes every other error through unchanged', () => {
    const other = Object.assign(new Error('syntax error'), { code: '42601' });
    assert.equal(scanError(other), other);
    assert.equal(scanError('text'), 'text');
    assert.equal(scanError(null), null);
  });
});
