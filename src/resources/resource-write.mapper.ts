import { foldKey, identifierKey } from '../scim/resource/fold-key.js';
import { checkKeyBytes, type InputLimits } from '../scim/resource/input-limits.js';
import type { ScimObject } from '../scim/resource/scim-resource.js';
import type { ResourceStorage, StoredColumn } from '../scim/schema/resource-type.definition.js';

/** One column value derived from the document. */
export interface ColumnValue {
  readonly column: string;
  readonly value: string | number | boolean | null;
}

/** What a write stores: the columns derived from the validated document, and the document itself. */
export interface ResourceWrite {
  readonly columns: readonly ColumnValue[];
  readonly doc: string;
}

/** The common attributes whose columns the row itself holds (RFC 7643 §3.1), not the document. */
const ROW_MANAGED = new Set(['id', 'meta.created', 'meta.lastModified']);

const written = new WeakMap<object, readonly StoredColumn[]>();

/** The columns a write sets from the document: every stored column but id, created and lastModified (once per storage). */
export function writtenColumns(storage: Pick<ResourceStorage, 'columns'>): readonly StoredColumn[] {
  let columns = written.get(storage.columns);
  if (!columns) {
    columns = storage.columns.filter((c) => !ROW_MANAGED.has(c.attribute));
    written.set(storage.columns, columns);
  }
  return columns;
}

/** The value at a canonical path (`serialNumber`, `name.familyName`) of a document, if any. */
function valueAt(doc: ScimObject | undefined, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as ScimObject)[part];
  }
  return value;
}

/**
 * A column's value: folded text is a key (foldKey, RFC 7644 §3.4.2.2 caseExact false), a
 * unique or identifier one an identifier key (identifierKey: no control characters, not
 * empty, as for userName); every key is bounded by MAX_KEY_BYTES so the index can hold it.
 */
function columnValue(
  column: StoredColumn,
  doc: ScimObject,
  limits: Pick<InputLimits, 'keyBytes'>,
  stored?: ScimObject,
): ColumnValue['value'] {
  const value = valueAt(doc, column.attribute);
  switch (column.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'dateTime':
      return typeof value === 'string' ? value : null;
    case 'exact':
      return typeof value === 'string' ? checkKeyBytes(column.attribute, value, limits) : null;
    case 'folded': {
      if (typeof value !== 'string') return null;
      const key =
        column.unique || column.identifier
          ? identifierKey(column.attribute, value, valueAt(stored, column.attribute))
          : foldKey(value);
      return checkKeyBytes(column.attribute, key, limits);
    }
  }
}

/**
 * Derives the column values of a resource from its validated document, per the
 * definition's storage, so the columns and the document cannot drift apart; `stored`
 * is the document it replaces.
 */
export function toResourceWrite(
  storage: Pick<ResourceStorage, 'columns'>,
  doc: ScimObject,
  limits: Pick<InputLimits, 'keyBytes'>,
  stored?: ScimObject,
): ResourceWrite {
  return {
    columns: writtenColumns(storage).map((column) => ({
      column: column.column,
      value: columnValue(column, doc, limits, stored),
    })),
    doc: JSON.stringify(doc),
  };
}

/**
 * The unique attributes' values of a document, for a 409 uniqueness detail (RFC 7644 §3.3);
 * a type whose uniqueness is a setting (Group displayName) names its identifiers instead.
 */
export function uniqueValues(storage: Pick<ResourceStorage, 'columns'>, doc: ScimObject): string {
  const unique = storage.columns.filter((c) => c.unique);
  return (unique.length > 0 ? unique : storage.columns.filter((c) => c.identifier))
    .map((c) => `${c.attribute} '${String(valueAt(doc, c.attribute))}'`)
    .join(' or ');
}
