import type { DirectorySettings } from '../common/http/scim-context.js';
import type { AppConfig } from '../config/app-config.js';
import { effectiveSettings, type EffectiveSettings } from './effective-settings.js';
import type { DirectoryRecord } from './directory.types.js';
import { directoryPath } from '../common/http/scim-url.service.js';

/** What the admin API shows of a directory. */
export interface DirectoryView {
  readonly id: number;
  readonly slug: string;
  readonly displayName: string;
  /** The directory's own settings; an absent key follows its environment variable. */
  readonly settings: DirectorySettings;
  /** What requests in the directory run with now. */
  readonly effectiveSettings: EffectiveSettings;
  readonly disabled: boolean;
  /** The directory's SCIM base path on this server. */
  readonly scimBasePath: string;
  readonly created: string;
  readonly lastModified: string;
  readonly version: number;
}

export function toDirectoryView(record: DirectoryRecord, config: AppConfig): DirectoryView {
  return {
    id: record.id,
    slug: record.slug,
    displayName: record.displayName,
    settings: record.settings,
    effectiveSettings: effectiveSettings(config, record),
    disabled: record.disabled,
    scimBasePath: directoryPath(config.scimBasePath, record),
    created: record.created,
    lastModified: record.lastModified,
    version: record.version,
  };
}
