import { ScimException } from '../errors/scim.exception.js';

/**
 * Bounds on what one write may store (input validation, RFC 7644 §7.7). They are checked on the
 * resulting resource, so a PATCH cannot grow past them over several requests, and
 * each names its setting, so a client or operator can tell which bound it met.
 */
export interface InputLimits {
  /** Values per multi-valued attribute (MAX_VALUES_PER_ATTRIBUTE); Group `members` is exempt (set-based). */
  readonly valuesPerAttribute: number;
  /** Operations per PatchOp request (MAX_PATCH_OPERATIONS). */
  readonly patchOperations: number;
  /** UTF-8 bytes per string value (MAX_STRING_BYTES). */
  readonly stringBytes: number;
  /** UTF-8 bytes per indexed comparison key, after NFKC and case folding (MAX_KEY_BYTES). */
  readonly keyBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = Object.freeze({
  valuesPerAttribute: 1000,
  patchOperations: 1000,
  stringBytes: 64 * 1024,
  keyBytes: 1024,
});

/** A UTF-16 code unit is at most 3 UTF-8 bytes, so short strings need no byte count. */
function utf8Bytes(value: string, limit: number): number {
  return value.length * 3 <= limit ? value.length : Buffer.byteLength(value, 'utf8');
}

// A surrogate without its pair: JSON can carry it as an escape, but it is no Unicode text.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A string a resource stores: within MAX_STRING_BYTES, free of U+0000, which PostgreSQL
 * text cannot hold (and no SCIM attribute means), and well-formed UTF-16: PostgreSQL's
 * jsonb refuses a stored `\ud800` escape, so one such value would fail every filter
 * that reads the document, for every client (RFC 7643 §2.1: strings are Unicode text).
 */
export function checkStringValue(path: string, value: string, limits: Pick<InputLimits, 'stringBytes'>): void {
  if (value.includes('\u0000')) {
    throw ScimException.invalidValue(`Attribute '${path}' must not contain the NUL character (U+0000)`);
  }
  if (LONE_SURROGATE.test(value)) {
    throw ScimException.invalidValue(`Attribute '${path}' is not well-formed Unicode text (a lone surrogate)`);
  }
  const bytes = utf8Bytes(value, limits.stringBytes);
  if (bytes > limits.stringBytes) {
    throw ScimException.invalidValue(
      `Attribute '${path}' has ${bytes} bytes; the limit is ${limits.stringBytes} bytes per string (MAX_STRING_BYTES)`,
    );
  }
}

export function checkValueCount(path: string, count: number, limits: Pick<InputLimits, 'valuesPerAttribute'>): void {
  if (count > limits.valuesPerAttribute) {
    throw ScimException.invalidValue(
      `Attribute '${path}' has ${count} values; the limit is ${limits.valuesPerAttribute} per attribute (MAX_VALUES_PER_ATTRIBUTE)`,
    );
  }
}

export function checkOperationCount(count: number, limits: Pick<InputLimits, 'patchOperations'>): void {
  if (count > limits.patchOperations) {
    throw ScimException.invalidValue(
      `"Operations" has ${count} operations; the limit is ${limits.patchOperations} per request (MAX_PATCH_OPERATIONS)`,
    );
  }
}

/**
 * An indexed comparison key within MAX_KEY_BYTES. Folding can lengthen a value
 * (NFKC turns U+FDFA into 18 code points), and a btree entry has a size limit
 * (about 2.7 KB on PostgreSQL), so the key is measured, not the value as sent.
 */
export function checkKeyBytes(path: string, key: string, limits: Pick<InputLimits, 'keyBytes'>): string {
  const bytes = utf8Bytes(key, limits.keyBytes);
  if (bytes > limits.keyBytes) {
    throw ScimException.invalidValue(
      `Attribute '${path}' is too long to index: its comparison key has ${bytes} bytes; ` +
        `the limit is ${limits.keyBytes} bytes (MAX_KEY_BYTES)`,
    );
  }
  return key;
}
