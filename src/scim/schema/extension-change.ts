import type { AttributeDefinition } from './attribute-definition.js';
import type { ExtensionDefinition } from './extension-definition.js';

/**
 * A change to a registered extension that stored values may not survive: an attribute
 * (or sub-attribute) removed, its type or plurality changed, or a `uniqueness: "server"`
 * attribute whose comparison keys would change (made unique, or its caseExact flipped),
 * since the side table holds keys of the values already stored. `attribute` is the
 * top-level attribute whose stored values decide whether the change is refused.
 */
export interface BreakingChange {
  readonly path: string;
  readonly attribute: string;
  readonly reason: 'removed' | 'retyped' | 'uniqueness';
}

function byName(attributes: readonly AttributeDefinition[] | undefined): Map<string, AttributeDefinition> {
  return new Map((attributes ?? []).map((a) => [a.name.toLowerCase(), a]));
}

function compare(
  before: AttributeDefinition,
  after: AttributeDefinition | undefined,
  path: string,
  top: string,
  out: BreakingChange[],
): void {
  if (!after) {
    out.push({ path, attribute: top, reason: 'removed' });
    return;
  }
  if (before.type !== after.type || before.multiValued !== after.multiValued) {
    out.push({ path, attribute: top, reason: 'retyped' });
    return;
  }
  const unique = after.uniqueness === 'server';
  if (unique && (before.uniqueness !== 'server' || before.caseExact !== after.caseExact)) {
    out.push({ path, attribute: top, reason: 'uniqueness' });
  }
  const subs = byName(after.subAttributes);
  for (const sub of before.subAttributes ?? []) {
    compare(sub, subs.get(sub.name.toLowerCase()), `${path}.${sub.name}`, top, out);
  }
}

/** What replacing `before` with `after` would break (adding attributes never does). */
export function breakingChanges(before: ExtensionDefinition, after: ExtensionDefinition): BreakingChange[] {
  const out: BreakingChange[] = [];
  const sameType = before.resourceType === after.resourceType;
  const attributes = byName(sameType ? after.schema.attributes : []);
  for (const attribute of before.schema.attributes) {
    compare(attribute, attributes.get(attribute.name.toLowerCase()), attribute.name, attribute.name, out);
  }
  return out;
}
