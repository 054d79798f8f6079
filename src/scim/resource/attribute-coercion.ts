import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { ScimException } from '../errors/scim.exception.js';
import { isXsdDateTime, toUtcInstant } from '../filter/date-time.util.js';

// RFC 7643 §2.3.6: base64; padding may be omitted.
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}$/;

function mistyped(path: string, expected: string): ScimException {
  return ScimException.invalidValue(`Attribute '${path}' must be ${expected}`);
}

function coerceBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  // Entra ID sends "True"/"False" where RFC 7643 §2.3.2 wants a JSON boolean; the schema says boolean, so coerce.
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw mistyped(path, 'a boolean');
}

function coerceNumber(value: unknown, path: string, integer: boolean): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw mistyped(path, integer ? 'an integer' : 'a decimal');
  // RFC 7643 §2.3.4: an integer has no fractional part or exponent.
  if (integer && !Number.isInteger(n)) throw mistyped(path, 'an integer');
  return n;
}

function coerceString(def: AttributeDefinition, value: unknown, path: string): string {
  if (typeof value !== 'string') throw mistyped(path, 'a string');
  // RFC 7643 §2.3.5: an xsd:dateTime with both date and time.
  if (def.type === 'dateTime') {
    if (!isXsdDateTime(value)) throw mistyped(path, 'an xsd:dateTime such as 2026-01-31T12:00:00Z');
    // The same instant in one fixed-width UTC form, so that filters and sorting compare
    // chronologically as text; a year outside 0000-9999 has no such form and stays as sent.
    return toUtcInstant(value) ?? value;
  }
  if (def.type === 'binary' && !BASE64.test(value)) throw mistyped(path, 'base64 data');
  return value;
}

/**
 * Checks one simple (non-complex) value against its definition and returns it in
 * the schema's JSON type, coercing the string forms IdPs are known to send.
 */
export function coerceSimpleValue(def: AttributeDefinition, value: unknown, path: string): unknown {
  switch (def.type) {
    case 'boolean':
      return coerceBoolean(value, path);
    case 'integer':
      return coerceNumber(value, path, true);
    case 'decimal':
      return coerceNumber(value, path, false);
    case 'string':
    case 'reference':
    case 'binary':
    case 'dateTime':
      return coerceString(def, value, path);
    case 'complex':
      throw mistyped(path, 'an object');
  }
}

/** RFC 7643 §2.5: null, [] and absent all mean "unassigned". */
export function isUnassigned(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}
