import type { DirectoryRef, DirectorySettings } from '../common/http/scim-context.js';
import type { AppConfig } from '../config/app-config.js';

/** Every compatibility setting with a value: the directory's own, else the server's (its environment variable). */
export type EffectiveSettings = Required<DirectorySettings>;

/**
 * The settings a request in `directory` runs with. A setting the directory leaves unset
 * follows PATCH_LENIENT, GROUP_PATCH_STATUS, UNKNOWN_MEMBERS, STRICT_SCHEMA, DELETION_POLICY,
 * GROUP_DISPLAY_NAME_UNIQUE or DIRECTORY_RATE_LIMIT_PER_MINUTE, so changing the environment still
 * changes every directory that did not choose for itself.
 */
export function effectiveSettings(
  config: Pick<
    AppConfig,
    | 'patchLenient'
    | 'groupPatchStatus'
    | 'unknownMembers'
    | 'strictSchema'
    | 'deletionPolicy'
    | 'groupDisplayNameUnique'
    | 'rateLimits'
  >,
  directory: Pick<DirectoryRef, 'settings'>,
): EffectiveSettings {
  const own = directory.settings;
  return {
    patchLenient: own.patchLenient ?? config.patchLenient,
    groupPatchStatus: own.groupPatchStatus ?? config.groupPatchStatus,
    unknownMembers: own.unknownMembers ?? config.unknownMembers,
    strictSchema: own.strictSchema ?? config.strictSchema,
    deletionPolicy: own.deletionPolicy ?? config.deletionPolicy,
    groupDisplayNameUnique: own.groupDisplayNameUnique ?? config.groupDisplayNameUnique,
    rateLimitPerMinute: own.rateLimitPerMinute ?? config.rateLimits.perDirectory,
  };
}
