import { foldKey } from '../scim/resource/fold-key.js';
import type { AttributeDefinition } from '../scim/schema/attribute-definition.js';
import { perRegistry } from '../scim/schema/per-registry.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { checkKeyBytes, type InputLimits } from '../scim/resource/input-limits.js';
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
 * `value` sub-attribute that is not binary (emails, phoneNumbers, ims, photos,
 * entitlements, roles). Read from the schema registry, not listed by hand. A binary
 * value (x509Certificates: a DER certificate is 1-3 KB of base64) would outgrow any
 * index key bound (MAX_KEY_BYTES), so such attributes are filtered in the document.
 */
export function indexedMultiValuedAttributes(registry: SchemaRegistry): AttributeDefinition[] {
  const schema = registry.getSchema(registry.getResourceType('User').schema);
  return (schema?.attributes ?? []).filter((a) => {
    const value = a.subAttributes?.find((s) => s.name === 'value');
    return (
      a.multiValued &&
      a.type === 'complex' &&
      a.mutability !== 'readOnly' &&
      value !== undefined &&
      value.type !== 'binary'
    );
  });
}

/** indexedMultiValuedAttributes, computed once per compiled registry. */
export const indexedAttributesOf: (registry: SchemaRegistry) => readonly AttributeDefinition[] =
  perRegistry(indexedMultiValuedAttributes);

/** The lower-cased names of the indexed attributes, as multi_values.attr holds them; once per registry. */
export const indexedAttributeNamesOf: (registry: SchemaRegistry) => ReadonlySet<string> = perRegistry(
  (registry) => new Set(indexedAttributesOf(registry).map((a) => a.name.toLowerCase())),
);

type KeyLimits = Pick<InputLimits, 'keyBytes'>;

function keyOf(
  def: AttributeDefinition | undefined,
  value: unknown,
  path: string,
  limits: KeyLimits,
  fold: (value: string) => string,
): string | null {
  if (typeof value !== 'string') return null;
  return checkKeyBytes(path, def?.caseExact ? value : fold(value), limits);
}

/**
 * Derives the rows from the document, so index and document cannot drift apart; keys are
 * bounded (MAX_KEY_BYTES). `fold` is the key function (foldKey, the same rule as userName's
 * key); migrations pass their own.
 */
export function toMultiValueRows(
  doc: ScimObject,
  attributes: readonly AttributeDefinition[],
  limits: KeyLimits,
  fold: (value: string) => string = foldKey,
): MultiValueRow[] {
  const rows: MultiValueRow[] = [];
  for (const def of attributes) {
    const items = doc[def.name];
    if (!Array.isArray(items)) continue;
    const sub = (name: string) => def.subAttributes?.find((s) => s.name === name);
    const key = (name: string, value: unknown) => keyOf(sub(name), value, `${def.name}.${name}`, limits, fold);
    items.forEach((item, idx) => {
      if (!isPlainObject(item)) return;
      rows.push({
        attr: def.name.toLowerCase(),
        idx,
        valueKey: key('value', item['value']),
        typeKey: key('type', item['type']),
        displayKey: key('display', item['display']),
        isPrimary: item['primary'] === true,
      });
    });
  }
  return rows;
}
