import type { DirectorySettings } from '../common/http/scim-context.js';

import { MAX_RATE_LIMIT_PER_MINUTE } from '../rate-limit/rate-limit.constants.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The settings a stored JSON text holds: only known keys with valid values, so a row
 * edited by hand cannot hand a service a setting it does not understand.
 */
export function parseSettings(text: string): DirectorySettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  return sanitizeSettings(raw);
}

/** A per-minute request limit: an integer from 0 (none) to MAX_RATE_LIMIT_PER_MINUTE. */
export function isRateLimit(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_RATE_LIMIT_PER_MINUTE;
}

export function sanitizeSettings(raw: unknown): DirectorySettings {
  if (typeof raw !== 'object' || raw === null) return {};
  const input = raw as Record<string, unknown>;
  const out: Mutable<DirectorySettings> = {};
  if (typeof input['patchLenient'] === 'boolean') out.patchLenient = input['patchLenient'];
  if (input['groupPatchStatus'] === 200 || input['groupPatchStatus'] === 204)
    out.groupPatchStatus = input['groupPatchStatus'];
  if (input['unknownMembers'] === 'reject' || input['unknownMembers'] === 'ignore')
    out.unknownMembers = input['unknownMembers'];
  if (typeof input['strictSchema'] === 'boolean') out.strictSchema = input['strictSchema'];
  if (input['deletionPolicy'] === 'hard' || input['deletionPolicy'] === 'soft')
    out.deletionPolicy = input['deletionPolicy'];
  if (typeof input['groupDisplayNameUnique'] === 'boolean')
    out.groupDisplayNameUnique = input['groupDisplayNameUnique'];
  if (isRateLimit(input['rateLimitPerMinute'])) out.rateLimitPerMinute = input['rateLimitPerMinute'];
  return out;
}

/**
 * `current` with `change` applied: a key set to a value takes it, a key set to null is
 * removed (the setting follows its environment variable again), a missing key stays.
 */
export function mergeSettings(current: DirectorySettings, change: Record<string, unknown>): DirectorySettings {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return sanitizeSettings(merged);
}
