import assert from 'node:assert/strict';
import { ERROR_SCHEMA } from './test-app.js';
/** Asserts an RFC 7644 §3.12 error body: schemas, status as a string, scimType, a detail. */
export function expectScimError(res, status, scimType) {
    assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual(res.body.schemas, [ERROR_SCHEMA]);
    assert.equal(res.body.status, String(status));
    assert.equal(res.body.scimType, scimType);
    assert.equal(typeof res.body.detail, 'string');
    assert.ok(res.body.detail.length > 0);
    assert.doesNotMatch(res.text, /at \w+ \(|QueryFailedError|SQLITE_|node_modules/);
}
//# sourceMappingURL=scim-assertions.js.map