import type { DirectoryRef, DirectorySettings } from '../common/http/scim-context.js';

/** A slug: lower-case letters, digits and hyphens, 1-63 characters (a DNS label's length), no edge hyphen. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Slugs no created directory may take: `default` names the directory served at SCIM_BASE_PATH. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['default']);

export const DEFAULT_DIRECTORY_ID = 1;

/** A directories row as the service sees it. */
export interface DirectoryRecord {
  readonly id: number;
  readonly slug: string;
  readonly displayName: string;
  readonly settings: DirectorySettings;
  readonly disabled: boolean;
  readonly created: string;
  readonly lastModified: string;
  readonly version: number;
  /** Set once a delete was accepted: the directory is gone for requests, its rows are being purged. */
  readonly deletedAt: string | null;
}

/** The request-facing part of a directory, and whether its tokens may provision. */
export interface ResolvedDirectory {
  readonly ref: DirectoryRef;
  readonly disabled: boolean;
}

export function toRef(record: DirectoryRecord): DirectoryRef {
  return Object.freeze({ id: record.id, slug: record.slug, settings: Object.freeze({ ...record.settings }) });
}
