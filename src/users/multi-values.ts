import { foldKey } from '../database/fold-key.js';
import type { AttributeDefinition } from '../scim/schema/attribute-definition.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { isPlainObject, type ScimObject } from '../scim/resource/scim-resource.js';

/** One element of a multi-valued attribute as the multi_values table keeps it for filtering. */
export interface MultiValueRow {
  readonly attr: string;
  readonly idx: number;
  readonly valueKey: string | null;
  readonly typeKey: string | null;
  readonly displayKey: string | null;
  readonly isPrimary: boolean;
}

/**
 * The User attributes kept in multi_values: writable, multi-valued, complex, with a
 * `value` sub-attribute (emails, phoneNumbers, ims, photos, entitlements, roles,
 * x509Certificates). Read from the schema registry, not listed by hand.
 */
export function indexedMultiValuedAttributes(registry: SchemaRegistry): AttributeDefinition[] {
  const schema = registry.getSchema(registry.getResourceType('User').schema);
  return (schema?.attributes ?? []).filter(
    (a) => a.multiValued && a.type === 'complex' && a.mutability !== 'readOnly'
      && (a.subAttributes ?? []).some((s) => s.name === 'value'),
  );
}

function keyOf(def: AttributeDefinition | undefined, value: unknown, fold: (value: string) => string): string | null {
  if (typeof value !== 'string') return null;
  return def?.caseExact ? value : fold(value);
}

/**
 * Derives the rows from the document, so index and document cannot drift apart. `fold`
 * is the key function (foldKey, the same rule as userName's key); migrations pass their own.
 */
export function toMultiValueRows(
  doc: ScimObject,
  attributes: readonly AttributeDefinition[],
  fold: (value: string) => string = foldKey,
): MultiValueRow[] {
  const rows: MultiValueRow[] = [];
  for (const def of attributes) {
    const items = doc[def.name];
    if (!Array.isArray(items)) continue;
    const sub = (name: string) => def.subAttributes?.find((s) => s.name === name);
    items.forEach((item, idx) => {
      if (!isPlainObject(item)) return;
      rows.push({
        attr: def.name.toLowerCase(),
        idx,
        valueKey: keyOf(sub('value'), item['value'], fold),
        typeKey: keyOf(sub('type'), item['type'], fold),
        displayKey: keyOf(sub('display'), item['display'], fold),
        isPrimary: item['primary'] === true,
      });
    });
  }
  return rows;
}
