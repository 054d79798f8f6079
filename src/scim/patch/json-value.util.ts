import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { isPlainObject } from '../resource/scim-resource.js';

/** Structural JSON equality; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Equality as the schema defines it: strings of a non-caseExact attribute ignore case (RFC 7643 §2.2). */
export function sameSimpleValue(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (!def.caseExact && typeof a === 'string' && typeof b === 'string') {
    return a.toLowerCase() === b.toLowerCase();
  }
  return deepEqual(a, b);
}

/**
 * True when every sub-attribute `candidate` carries has the same value in `existing`: adding such
 * a value to a multi-valued attribute changes nothing (RFC 7644 §3.5.2.1).
 */
export function elementContains(def: AttributeDefinition, existing: unknown, candidate: unknown): boolean {
  if (!isPlainObject(candidate) || !isPlainObject(existing)) return sameSimpleValue(def, existing, candidate);
  return Object.entries(candidate).every(([key, value]) => {
    const sub = def.subAttributes?.find((s) => s.name === key);
    return sub ? sameSimpleValue(sub, existing[key], value) : deepEqual(existing[key], value);
  });
}

/**
 * The values of a multi-valued attribute bucketed by their `value` (or, for simple
 * attributes, themselves) as sameSimpleValue compares it, so that finding the value an
 * incoming one repeats (RFC 7644 §3.5.2.1) scans only the values that could match.
 */
export class ElementFinder {
  private readonly buckets = new Map<string, unknown[]>();
  private readonly caseExact: boolean;
  private readonly complex: boolean;

  constructor(
    private readonly def: AttributeDefinition,
    private readonly elements: unknown[],
  ) {
    this.complex = def.type === 'complex';
    this.caseExact = (this.complex ? def.subAttributes?.find((s) => s.name === 'value') : def)?.caseExact ?? false;
    for (const element of elements) this.bucketOf(element)?.push(element);
  }

  /** The first value that `candidate` repeats, as `elements.find(e => elementContains(…))` would find it. */
  find(candidate: unknown): unknown {
    const pool = this.keyOf(candidate) === undefined ? this.elements : (this.bucketOf(candidate) ?? []);
    return pool.find((e) => elementContains(this.def, e, candidate));
  }

  push(element: unknown): void {
    this.elements.push(element);
    this.bucketOf(element)?.push(element);
  }

  private keyOf(element: unknown): string | undefined {
    const value = this.complex ? (isPlainObject(element) ? element['value'] : undefined) : element;
    if (typeof value !== 'string') return undefined;
    return this.caseExact ? value : value.toLowerCase();
  }

  private bucketOf(element: unknown): unknown[] | undefined {
    const key = this.keyOf(element);
    if (key === undefined) return undefined;
    const bucket = this.buckets.get(key);
    if (bucket) return bucket;
    const created: unknown[] = [];
    this.buckets.set(key, created);
    return created;
  }
}
