import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { ScimException } from '../errors/scim.exception.js';

/**
 * Signed keyset cursors for RFC 9865. A cursor carries the boundary row's sort
 * key and id, so a page is found with a WHERE on the keys instead of an OFFSET,
 * and no server memory is kept (every instance can continue any cursor).
 *
 * Wire form: base64url(JSON payload) "." base64url(HMAC-SHA256 of the first part).
 * Both alphabets are RFC 3986 §2.3 unreserved characters, as RFC 9865 §2 requires,
 * so the cursor travels in a query string without percent-encoding.
 */

export const CURSOR_VERSION = 1;

/** Longer text is rejected before any decoding work, so a huge cursor costs nothing. */
export const MAX_CURSOR_LENGTH = 4096;

/** Length of a base64url HMAC-SHA256 (32 bytes, no padding). */
const SIGNATURE_LENGTH = 43;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type CursorDirection = 'next' | 'prev';
export type CursorKeyValue = string | number | null;

/**
 * Longest sort-key string a cursor carries, in code points. A longer one is cut, and the
 * cursor carries `cut`, a digest of the whole key: the reader of the page reads the full
 * key back from the boundary row by its id (the key's last value) and checks the digest.
 * So a cursor stays a few KB whatever the data (at most 6 JSON characters a code point).
 */
export const MAX_CURSOR_KEY_CHARS = 256;

export interface CursorPayload {
  v: typeof CURSOR_VERSION;
  dir: CursorDirection;
  /** The sort-key values and the id of the boundary row, in ORDER BY order; strings cut to MAX_CURSOR_KEY_CHARS. */
  key: CursorKeyValue[];
  /** keyDigest() of the uncut key, present when a value was cut. */
  cut?: string;
  /** queryHash() of the query the cursor belongs to. */
  q: string;
  /** Expiry, epoch seconds. */
  exp: number;
  /** The page size of the initial query (RFC 9865 §2.1: it must not change). */
  count: number;
}

export interface CursorExpectation {
  queryHash: string;
  /** Epoch seconds. */
  now: number;
  /** The page size of the current request. */
  count: number;
}

export interface QueryParts {
  resourceType: string;
  /** Server-wide signing key, so the tenant is part of the query a cursor is bound to. */
  tenant?: string;
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  attributes?: string;
  excludedAttributes?: string;
}

function sign(body: string, key: Buffer): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

/** A short digest of a whole sort key, to recognise the row a cut key was taken from. */
export function keyDigest(key: readonly CursorKeyValue[]): string {
  return createHash('sha256').update(JSON.stringify(key), 'utf8').digest('base64url').slice(0, 22);
}

/** The key as a cursor carries it: long strings cut (at a code point), with the digest of the whole when cut. */
export function boundedKey(key: readonly CursorKeyValue[]): { key: CursorKeyValue[]; cut?: string } {
  let cut = false;
  const bounded = key.map((value) => {
    // Every code point is at most two UTF-16 units, so a shorter string needs no look.
    if (typeof value !== 'string' || value.length <= MAX_CURSOR_KEY_CHARS) return value;
    const points = Array.from(value);
    if (points.length <= MAX_CURSOR_KEY_CHARS) return value;
    cut = true;
    return points.slice(0, MAX_CURSOR_KEY_CHARS).join('');
  });
  return cut ? { key: bounded, cut: keyDigest(key) } : { key: bounded };
}

/** Serialises the known members in a fixed order; anything else on the object is dropped. */
export function encodeCursor(payload: CursorPayload, key: Buffer): string {
  const { v, dir, key: keys, cut, q, exp, count } = payload;
  const body = Buffer.from(
    JSON.stringify({ v, dir, key: keys, ...(cut !== undefined ? { cut } : {}), q, exp, count }),
    'utf8',
  ).toString('base64url');
  const text = `${body}.${sign(body, key)}`;
  if (text.length > MAX_CURSOR_LENGTH) {
    // Callers pass boundedKey() keys; a longer cursor would be refused by decodeCursor.
    throw new RangeError(`cursor of ${text.length} characters exceeds ${MAX_CURSOR_LENGTH}`);
  }
  return text;
}

/**
 * Verifies and decodes a cursor. RFC 9865 §2.1 errors: a malformed, forged,
 * foreign-version or other-query cursor is invalidCursor; a stale one is
 * expiredCursor; a page size other than the initial query's is invalidCount.
 */
export function decodeCursor(text: string, key: Buffer, expected: CursorExpectation): CursorPayload {
  const payload = verifiedPayload(text, key);
  if (payload.q !== expected.queryHash) {
    throw ScimException.invalidCursor('The cursor belongs to a different query; repeat the original query parameters');
  }
  if (payload.exp < expected.now) {
    throw ScimException.expiredCursor('The cursor has expired; start again without a cursor');
  }
  if (payload.count !== expected.count) {
    throw ScimException.invalidCount(`count must stay ${payload.count}, the count of the initial query`);
  }
  return payload;
}

/** One message for every malformed or forged cursor, so probing learns nothing (RFC 9865 §5.2). */
const invalid = (): ScimException => ScimException.invalidCursor('The cursor is not valid');

function verifiedPayload(text: string, key: Buffer): CursorPayload {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CURSOR_LENGTH) throw invalid();
  const dot = text.indexOf('.');
  const body = text.slice(0, dot);
  const signature = text.slice(dot + 1);
  if (dot <= 0 || signature.length !== SIGNATURE_LENGTH) throw invalid();
  if (!BASE64URL.test(body) || !BASE64URL.test(signature)) throw invalid();
  // Compare the signature text, not decoded bytes: base64url decoding ignores
  // the unused low bits of the last character, so two texts could decode alike.
  const given = Buffer.from(signature, 'ascii');
  const wanted = Buffer.from(sign(body, key), 'ascii');
  if (!timingSafeEqual(given, wanted)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!isPayload(parsed)) throw invalid();
  return parsed;
}

function isKeyValue(value: unknown): value is CursorKeyValue {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Shape check; only signed payloads reach it, so it guards against our own older formats. */
function isPayload(value: unknown): value is CursorPayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const p = value as Record<string, unknown>;
  return (
    p.v === CURSOR_VERSION &&
    (p.dir === 'next' || p.dir === 'prev') &&
    Array.isArray(p.key) &&
    p.key.every(isKeyValue) &&
    (p.cut === undefined || typeof p.cut === 'string') &&
    typeof p.q === 'string' &&
    Number.isSafeInteger(p.exp) &&
    Number.isSafeInteger(p.count) &&
    (p.count as number) >= 0
  );
}

/**
 * A short, stable digest of the query a cursor continues. RFC 9865 §2 requires
 * the client to repeat every other parameter unchanged, so the cursor is bound
 * to them. Parts are trimmed, absent equals empty, and sortOrder is compared
 * case-insensitively (RFC 7644 §3.4.2.3); the filter text is otherwise kept as given.
 * 22 base64url characters are 132 bits: collisions are not a practical concern.
 */
export function queryHash(parts: QueryParts): string {
  const canonical = JSON.stringify([
    parts.resourceType.trim(),
    (parts.tenant ?? '').trim(),
    (parts.filter ?? '').trim(),
    (parts.sortBy ?? '').trim(),
    (parts.sortOrder ?? '').trim().toLowerCase(),
    (parts.attributes ?? '').trim(),
    (parts.excludedAttributes ?? '').trim(),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('base64url').slice(0, 22);
}
