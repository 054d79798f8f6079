import { ScimException } from '../errors/scim.exception.js';

/**
 * Unicode Default_Ignorable_Code_Point: code points that render as nothing (zero-width
 * space and joiners, BOM, soft hyphen, variation selectors, bidi controls, tags). PRECIS
 * (RFC 8264 §9.13) disallows them in identifiers; a key ignores them so that invisible
 * variants of a name meet the visible one.
 */
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * Outer white space as String.prototype.trim() sees it (Unicode White_Space and the
 * line terminators), written out so that PostgreSQL's scim_fold() trims the same set.
 */
export const OUTER_SPACE_CLASS = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const OUTER_SPACE = new RegExp(`^[${OUTER_SPACE_CLASS}]+|[${OUTER_SPACE_CLASS}]+$`, 'gu');

/**
 * The comparison key for case-insensitive attributes (caseExact: false), after RFC 8264
 * PRECIS and RFC 7613 §3 (userName, RFC 7644 §7.8): default-ignorable code points removed,
 * Unicode NFKC normalisation, full case mapping, outer white space removed. So `alice`,
 * `ALICE `, `ali\u200Bce` and `\uFEFFalice` share one key, and `alice ` is a uniqueness
 * conflict with `alice`. Lower-upper-lower makes "ß", "ẞ" and "SS" all meet at "ss", as
 * Unicode case folding does. Ignorables are removed before NFKC (so a combining mark
 * behind one still composes) and again after (NFKC maps U+FFA0 to the ignorable U+1160).
 * The value itself is stored as sent; only the key is prepared. The same function is
 * registered in SQLite as scim_fold(), and PostgreSQL's scim_fold() applies the same steps.
 */
export function foldKey(value: string): string {
  const cased = value.replace(DEFAULT_IGNORABLE, '').normalize('NFKC').toLowerCase().toUpperCase().toLowerCase();
  return cased.replace(DEFAULT_IGNORABLE, '').replace(OUTER_SPACE, '');
}

const CONTROL = /\p{Cc}/u;

/**
 * The key of an identifier a client chooses (User userName, Group displayName). Control
 * characters (CR, LF, TAB, NUL, …) are refused, as PRECIS's IdentifierClass refuses them
 * (RFC 8264 §9.12), and so is a value that is empty once its key is prepared (only
 * white space or invisible characters): 400 invalidValue naming the attribute. A value
 * equal to the `stored` one is not checked again, so a resource stored before the rule
 * (say with a tab in its userName) can still be changed otherwise, e.g. deactivated.
 */
export function identifierKey(attribute: string, value: string, stored?: unknown): string {
  if (value === stored) return foldKey(value);
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw ScimException.invalidValue(`'${attribute}' must not contain the control character U+${code}`);
  }
  const key = foldKey(value);
  if (key === '') throw ScimException.invalidValue(`'${attribute}' must contain a visible character`);
  return key;
}
