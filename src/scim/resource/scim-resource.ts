/** A SCIM resource as JSON: canonical attribute names, extension objects under their URN. */
export type ScimObject = Record<string, unknown>;

export interface ScimMeta {
  readonly resourceType: string;
  readonly created: string;
  readonly lastModified: string;
  readonly location: string;
  readonly version: string;
}

/** A JSON object (not an array, Buffer or other class instance). */
export function isPlainObject(value: unknown): value is ScimObject {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** RFC 7643 §3.1 / RFC 7644 §3.14: a weak validator derived from the row version. */
export function weakEtag(version: number): string {
  return `W/"${version}"`;
}

/** A stored resource row as both resource tables return it. */
export interface StoredRow {
  readonly id: string;
  readonly doc: string;
  readonly version: number;
  readonly created: string;
  readonly last_modified: string;
}

/**
 * The representation of a stored row: `schemas` and `id` first, then the stored
 * document, the computed attributes, and `meta` (RFC 7643 §3.1) last.
 */
export function toScimResource(
  row: StoredRow,
  resourceType: string,
  location: string,
  computed: ScimObject = {},
): ScimObject {
  const doc: unknown = JSON.parse(row.doc);
  const stored = isPlainObject(doc) ? doc : {};
  return {
    schemas: stored['schemas'],
    id: row.id,
    ...stored,
    ...computed,
    meta: {
      resourceType,
      created: row.created,
      lastModified: row.last_modified,
      location,
      version: weakEtag(Number(row.version)),
    },
  };
}

/** Whether `value` is a `schemas` list naming `schemaUri` and nothing else. */
export function namesOnly(value: unknown, schemaUri: string): boolean {
  const uri = schemaUri.toLowerCase();
  return (
    Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === 'string' && s.toLowerCase() === uri)
  );
}
