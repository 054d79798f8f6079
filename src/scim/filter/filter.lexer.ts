import { ScimException } from '../errors/scim.exception.js';

/**
 * Tokens of RFC 7644 §3.4.2.2 filters. `start` is the 0-based offset (UTF-16 code units) of the
 * token's first character in the filter text; every position in error details uses that scale.
 *
 * Attribute paths, operators, `and`/`or`/`not` and unquoted values are all `word` tokens: which
 * of these a word is depends on where it stands, so the parser decides (RFC 7644 §3.4.2.2 lets
 * `userName eq "and"` and an attribute called `pr` coexist with the keywords).
 */
export type Token =
  | { readonly kind: '(' | ')' | '[' | ']' | 'eof'; readonly start: number }
  | { readonly kind: 'string'; readonly start: number; readonly value: string }
  | { readonly kind: 'number'; readonly start: number; readonly value: number; readonly text: string }
  | {
      readonly kind: 'literal';
      readonly start: number;
      readonly value: boolean | null;
      readonly text: string;
    }
  | { readonly kind: 'word'; readonly start: number; readonly text: string };

/** RFC 8259 §6 number grammar, matched against a whole word. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** RFC 8259 §2 whitespace; the filter grammar's SP is read as any run of it. */
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

const PUNCTUATION = new Set(['(', ')', '[', ']']);

/** RFC 8259 §7 two-character escapes. */
const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

const HEX4 = /^[0-9a-fA-F]{4}$/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (WHITESPACE.has(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ kind: ch, start: i });
      i += 1;
    } else if (ch === '"') {
      const { value, end } = readString(text, i);
      tokens.push({ kind: 'string', start: i, value });
      i = end;
    } else {
      const end = wordEnd(text, i);
      tokens.push(classifyWord(text.slice(i, end), i));
      i = end;
    }
  }
  tokens.push({ kind: 'eof', start: text.length });
  return tokens;
}

function wordEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (WHITESPACE.has(ch) || PUNCTUATION.has(ch) || ch === '"') break;
    i += 1;
  }
  return i;
}

/**
 * NUL is refused anywhere in a filter: SQLite's LIKE and text functions stop at it (so
 * `co "\u0000"` would match every row) and PostgreSQL's text type cannot hold it.
 */
function nulRefused(position: number): ScimException {
  return ScimException.invalidFilter(`NUL (U+0000) at position ${position} is not allowed in a filter`);
}

function classifyWord(text: string, start: number): Token {
  const nul = text.indexOf('\0');
  if (nul >= 0) throw nulRefused(start + nul);
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') return { kind: 'literal', start, value: lower === 'true', text };
  if (lower === 'null') return { kind: 'literal', start, value: null, text };
  if (JSON_NUMBER.test(text)) {
    const value = Number(text);
    // JSON allows 1e999; a non-finite number could not be compared or written back.
    if (!Number.isFinite(value)) {
      throw ScimException.invalidFilter(`Number ${text} at position ${start} is out of range`);
    }
    return { kind: 'number', start, value, text };
  }
  return { kind: 'word', start, text };
}

/** Reads the RFC 8259 §7 string whose opening quote is at `start`; `end` is just past the closing quote. */
function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === '"') return { value, end: i + 1 };
    if (ch === '\\') {
      const escape = readEscape(text, i);
      value += escape.value;
      i = escape.end;
    } else if (ch < ' ') {
      throw ScimException.invalidFilter(`Control character U+${hex(ch)} at position ${i} must be escaped in a string`);
    } else {
      value += ch;
      i += 1;
    }
  }
  throw ScimException.invalidFilter(`Unterminated string starting at position ${start}`);
}

function readEscape(text: string, start: number): { value: string; end: number } {
  const code = text.charAt(start + 1);
  const simple = SIMPLE_ESCAPES.get(code);
  if (simple !== undefined) return { value: simple, end: start + 2 };
  if (code === 'u') {
    const digits = text.slice(start + 2, start + 6);
    if (HEX4.test(digits)) {
      const unit = parseInt(digits, 16);
      if (unit === 0) throw nulRefused(start);
      return { value: String.fromCharCode(unit), end: start + 6 };
    }
    throw ScimException.invalidFilter(`Expected 4 hex digits after "\\u" at position ${start}`);
  }
  if (code === '') throw ScimException.invalidFilter(`Unterminated string at position ${start}`);
  throw ScimException.invalidFilter(`Invalid escape "\\${code}" at position ${start}`);
}

function hex(ch: string): string {
  return ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}
