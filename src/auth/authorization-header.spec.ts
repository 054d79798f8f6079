import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAuthorization } from './authorization-header.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('parseAuthorization', () => {
  it('reads Bearer and Basic with the scheme matched exactly and case-insensitively', () => {
    assert.deepEqual(parseAuthorization('Bearer abc.def'), { scheme: 'bearer', secret: 'abc.def' });
    assert.deepEqual(parseAuthorization('bEaReR   abc'), { scheme: 'bearer', secret: 'abc' });
    assert.deepEqual(parseAuthorization(`Basic ${b64('idp:tok:en')}`), { scheme: 'basic', secret: 'tok:en' });
    assert.deepEqual(parseAuthorization(`BASIC ${b64(':tok')}`), { scheme: 'basic', secret: 'tok' });
  });

  it('names no scheme for look-alikes, separators or missing credentials', () => {
    const creds = b64('x:token');
    for (const header of [
      `XBasic ${creds}`,
      `NotBasic ${creds}`,
      `basicx ${creds}`,
      `Basic, ${creds}`,
      `Basic,${creds}`,
      `XBearer tok`,
      `Bearerx tok`,
      `Bearer, tok`,
      'Bearer',
      'Bearer ',
      'Basic',
      `Basic\t${creds}`,
      `Bearer a b`,
      `Basic ${b64('nocolon')}`,
      `Basic ${b64('user:')}`,
      'Basic !!!',
      '',
      undefined,
    ]) {
      assert.equal(parseAuthorization(header), undefined, String(header));
    }
  });
});
