import type { AttributeDefinition } from '../../scim/schema/attribute-definition.js';
import type { ResolvedAttribute } from '../../scim/schema/schema-registry.js';
import type { JsonSql } from './sql-targets.js';
import { inDocument, scalar, type ScalarTarget, type SqlTarget, type ValueKind } from './sql-targets.js';

export type TargetResolver = (attribute: ResolvedAttribute) => SqlTarget;

function valueKindOf(def: AttributeDefinition): ValueKind {
  switch (def.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'string':
    case 'reference':
    case 'binary':
      return def.caseExact ? 'exact' : 'folded';
    case 'dateTime':
      // Stored as fixed-width UTC instants (coerceSimpleValue), so text order is time order.
      return 'dateTime';
    case 'complex':
      return 'exact';
  }
}

/** A JSON text expression prepared for its comparison kind (folded, typed or as is). */
export function jsonScalar(json: JsonSql, text: string, def: AttributeDefinition): ScalarTarget {
  const kind = valueKindOf(def);
  switch (kind) {
    case 'folded':
      return scalar(`scim_fold(${text})`, 'sqlFolded', `(${text} IS NOT NULL AND ${text} <> '')`);
    case 'boolean':
    case 'number':
      return scalar(json.typed(text, kind), kind, `(${text} IS NOT NULL)`);
    default:
      return scalar(text, kind);
  }
}

/**
 * Targets for attributes kept only in the JSON document (`doc`): singular values by
 * path, multi-valued ones as a set of elements. Extension attributes sit under their
 * schema URN (RFC 7643 §3.3).
 */
export function docTarget(
  json: JsonSql,
  doc: string,
  baseSchema: string,
  resolved: ResolvedAttribute,
  alias: string,
): SqlTarget {
  const { attribute, subAttribute } = resolved;
  const prefix = resolved.schemaUri && resolved.schemaUri !== baseSchema ? [resolved.schemaUri] : [];
  const path = [...prefix, attribute.name];
  if (attribute.multiValued) {
    return {
      kind: 'elements',
      from: json.elements(doc, path, alias),
      correlation: '1 = 1',
      scan: 'document',
      sub: (name) => {
        if (name === '')
          return attribute.type === 'complex' ? undefined : jsonScalar(json, json.elementText(alias, ''), attribute);
        const sub = attribute.subAttributes?.find((s) => s.name === name);
        return sub ? jsonScalar(json, json.elementText(alias, sub.name), sub) : undefined;
      },
    };
  }
  if (subAttribute) return inDocument(jsonScalar(json, json.text(doc, [...path, subAttribute.name]), subAttribute));
  if (attribute.type === 'complex') {
    return scalar(json.text(doc, path), 'exact', json.present(doc, path), 'document');
  }
  return inDocument(jsonScalar(json, json.text(doc, path), attribute));
}
