import { foldKey } from '../database/fold-key.js';
import type { AttributeDefinition } from '../scim/schema/attribute-definition.js';
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

type KeyLimits = Pick<InputLimits, 'keyBytes'>;

function keyOf(def: AttributeDefinition | undefined, value: unknown, path: string, limits: KeyLimits): string | null {
  if (typeof value !== 'string') return null;
  return checkKeyBytes(path, def?.caseExact ? value : foldKey(value), limits);
}

/** Derives the rows from the document, so index and document cannot drift apart; keys are bounded (MAX_KEY_BYTES). */
export function toMultiValueRows(doc: ScimObject, attributes: readonly AttributeDefinition[], limits: KeyLimits): MultiValueRow[] {
  const rows: MultiValueRow[] = [];
  for (const def of attributes) {
    const items = doc[def.name];
    if (!Array.isArray(items)) continue;
    const sub = (name: string) => def.subAttributes?.find((s) => s.name === name);
    const key = (name: string, value: unknown) => keyOf(sub(name), value, `${def.name}.${name}`, limits);
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
