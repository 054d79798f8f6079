import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingsProblem } from './dto/directory-settings.validator.js';
import { mergeSettings, parseSettings } from './directory-settings.js';
import { effectiveSettings } from './effective-settings.js';

const ENV = {
  patchLenient: true,
  groupPatchStatus: 200,
  unknownMembers: 'reject',
  strictSchema: false,
  deletionPolicy: 'hard',
  groupDisplayNameUnique: true,
} as const;
const CONFIG = { ...ENV, rateLimits: { perToken: 6000, perDirectory: 0, authFailures: 30, maxKeys: 100 } };
const EFFECTIVE = { ...ENV, rateLimitPerMinute: 0 };

describe('directory settings', () => {
  it('effectiveSettings: a setting the directory leaves unset follows the environment', () => {
    assert.deepEqual(effectiveSettings(CONFIG, { settings: {} }), EFFECTIVE);
    assert.deepEqual(
      effectiveSettings(CONFIG, { settings: { groupPatchStatus: 204, patchLenient: false, rateLimitPerMinute: 50 } }),
      { ...EFFECTIVE, groupPatchStatus: 204, patchLenient: false, rateLimitPerMinute: 50 },
    );
  });

  it('rateLimitPerMinute: an integer from 0 to 1,000,000', () => {
    assert.deepEqual(parseSettings('{"rateLimitPerMinute":120}'), { rateLimitPerMinute: 120 });
    assert.deepEqual(parseSettings('{"rateLimitPerMinute":-1}'), {});
    assert.equal(settingsProblem({ rateLimitPerMinute: 0 }, false), undefined);
    assert.match(settingsProblem({ rateLimitPerMinute: 1.5 }, false) ?? '', /rateLimitPerMinute has an invalid value/);
    assert.match(settingsProblem({ rateLimitPerMinute: 2_000_000 }, false) ?? '', /invalid value/);
  });

  it('parseSettings keeps only known keys with valid values', () => {
    assert.deepEqual(parseSettings('{"patchLenient":false,"groupPatchStatus":201,"x":1,"unknownMembers":"ignore"}'), {
      patchLenient: false,
      unknownMembers: 'ignore',
    });
    assert.deepEqual(parseSettings('{"deletionPolicy":"soft"}'), { deletionPolicy: 'soft' });
    assert.deepEqual(parseSettings('{"deletionPolicy":"archive"}'), {});
    assert.deepEqual(parseSettings('not json'), {});
    assert.deepEqual(parseSettings('[1]'), {});
  });

  it('mergeSettings: a value sets, null unsets, absent keeps', () => {
    assert.deepEqual(
      mergeSettings({ patchLenient: true, strictSchema: true }, { patchLenient: null, groupPatchStatus: 204 }),
      {
        strictSchema: true,
        groupPatchStatus: 204,
      },
    );
  });

  it('settingsProblem names unknown keys and invalid values; null only where it removes', () => {
    assert.equal(settingsProblem({ strictSchema: true }, false), undefined);
    assert.match(settingsProblem({ nope: 1 }, false) ?? '', /settings.nope is not a directory setting/);
    assert.match(settingsProblem({ strictSchema: 'yes' }, false) ?? '', /settings.strictSchema has an invalid value/);
    assert.match(settingsProblem({ strictSchema: null }, false) ?? '', /invalid value/);
    assert.equal(settingsProblem({ strictSchema: null }, true), undefined);
    assert.match(settingsProblem({ __proto__: 1, constructor: 1 }, false) ?? '', /constructor/);
    assert.match(settingsProblem(null, false) ?? '', /object/);
    assert.equal(settingsProblem({ deletionPolicy: 'soft' }, false), undefined);
    assert.match(settingsProblem({ deletionPolicy: 'archive' }, false) ?? '', /invalid value/);
  });
});
