import { ValidateBy } from 'class-validator';
import { isRateLimit } from '../directory-settings.js';

/** Each setting's valid values (also what the admin API documents). */
const VALID: Readonly<Record<string, (value: unknown) => boolean>> = {
  patchLenient: (v) => typeof v === 'boolean',
  groupPatchStatus: (v) => v === 200 || v === 204,
  unknownMembers: (v) => v === 'reject' || v === 'ignore',
  strictSchema: (v) => typeof v === 'boolean',
  deletionPolicy: (v) => v === 'hard' || v === 'soft',
  groupDisplayNameUnique: (v) => typeof v === 'boolean',
  rateLimitPerMinute: isRateLimit,
};

/** Why `value` is no settings object, or undefined when it is one. */
export function settingsProblem(value: unknown, nullRemoves: boolean): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'settings must be an object';
  for (const [key, setting] of Object.entries(value as Record<string, unknown>)) {
    const valid = Object.hasOwn(VALID, key) ? VALID[key] : undefined;
    if (!valid) return `settings.${key.slice(0, 64)} is not a directory setting (${Object.keys(VALID).join(', ')})`;
    if (setting === null && nullRemoves) continue;
    if (!valid(setting)) return `settings.${key} has an invalid value`;
  }
  return undefined;
}

/**
 * A directory's settings: only known keys with valid values (patchLenient, strictSchema and
 * groupDisplayNameUnique booleans, groupPatchStatus 200 or 204, unknownMembers 'reject' or 'ignore',
 * deletionPolicy 'hard' or 'soft', rateLimitPerMinute an integer from 0 to 1,000,000). With
 * `nullRemoves` (PATCH) a null value unsets the setting, which then follows its environment variable.
 */
export function IsDirectorySettings(nullRemoves: boolean): PropertyDecorator {
  let problem: string | undefined;
  return ValidateBy({
    name: 'isDirectorySettings',
    validator: {
      validate: (value: unknown) => {
        problem = settingsProblem(value, nullRemoves);
        return problem === undefined;
      },
      defaultMessage: () => problem ?? 'settings are invalid',
    },
  });
}
