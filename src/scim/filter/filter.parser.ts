import { ScimException } from '../errors/scim.exception.js';
import {
  assertNever,
  attrPath,
  COMPARE_OPERATORS,
  type AttrPath,
  type CompareOperator,
  type CompareValue,
  type FilterNode,
} from './filter.ast.js';
import { tokenize, type Token } from './filter.lexer.js';

export interface ParseFilterOptions {
  /** Longest accepted filter, in UTF-16 code units. */
  readonly maxLength?: number;
  /** Deepest accepted nesting of "(", "not (" and "[" groups. */
  readonly maxDepth?: number;
  /** Most accepted attribute expressions (comparisons and `pr`), value-path contents included. */
  readonly maxTerms?: number;
}

/** 16 KiB: far above any filter an IdP sends (Entra ID and Okta send one or two comparisons). */
export const DEFAULT_MAX_FILTER_LENGTH = 16_384;

/** Bounds recursion so a hostile `((((…` is a 400 invalidFilter instead of a stack overflow. */
export const DEFAULT_MAX_FILTER_DEPTH = 64;

/**
 * "and"/"or" chains become left-deep trees, so the number of terms bounds the depth every later
 * recursive pass (validation, SQL translation, the database's own expression parser) must handle.
 */
export const DEFAULT_MAX_FILTER_TERMS = 200;

/** RFC 7644 §3.10 ATTRNAME, plus a leading "$" for `$ref` (RFC 7643 §2.4). */
const ATTR_NAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;

const ONLY_WHITESPACE = /^[ \t\r\n]*$/;

/**
 * Parses an RFC 7644 §3.4.2.2 filter into a FilterNode, or throws ScimException invalidFilter.
 * Positions in error details are 0-based offsets into `text`.
 *
 * Beyond Figure 1 of the RFC this accepts:
 * - `attr[filter].sub op value` (errata 4690 / the §3.5.2 PATH rule), represented as
 *   `valuePath(attr, and(filter, sub op value))`: the trailing comparison applies to the same
 *   element the bracket filter selected, which is what the bracket-and-dot form means.
 * - unquoted values: a word after a comparison operator that is not a JSON number or
 *   true/false/null is taken as a string, because Entra ID sends `externalId eq jyoung`. The
 *   grammar needs a value in that position, so no valid filter is read differently.
 * - "( … )" groups inside a value filter, and any whitespace where the grammar says SP.
 */
export function parseFilter(text: string, options: ParseFilterOptions = {}): FilterNode {
  const maxLength = options.maxLength ?? DEFAULT_MAX_FILTER_LENGTH;
  if (text.length > maxLength) {
    throw ScimException.invalidFilter(`Filter is ${text.length} characters long; the maximum is ${maxLength}`);
  }
  if (ONLY_WHITESPACE.test(text)) throw ScimException.invalidFilter('Filter is empty');
  const parser = new FilterParser(tokenize(text), {
    maxDepth: options.maxDepth ?? DEFAULT_MAX_FILTER_DEPTH,
    maxTerms: options.maxTerms ?? DEFAULT_MAX_FILTER_TERMS,
  });
  return parser.parseComplete();
}

class FilterParser {
  private index = 0;
  private depth = 0;
  private terms = 0;
  private inValuePath = false;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly limits: { readonly maxDepth: number; readonly maxTerms: number },
  ) {}

  parseComplete(): FilterNode {
    const node = this.parseOr();
    const token = this.peek();
    if (token.kind !== 'eof') throw expected('"and", "or" or end of filter', token);
    return node;
  }

  // RFC 7644 §3.4.2.2: "and" binds tighter than "or"; equal operators group to the left.
  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  // RFC 7644 §3.4.2.2 grammar: `*1"not" "(" FILTER ")"`, so "not" without "(" is not an operator;
  // a word "not" followed by anything else can only be an attribute path.
  private parseUnary(): FilterNode {
    const token = this.peek();
    if (token.kind === '(') {
      this.next();
      return this.parseGroup(token);
    }
    const open = this.peek(1);
    if (isKeyword(token, 'not') && open.kind === '(') {
      this.next();
      this.next();
      return { kind: 'not', filter: this.parseGroup(open) };
    }
    return this.parseAttrExpression();
  }

  private parseGroup(open: Token): FilterNode {
    this.enter(open);
    const inner = this.parseOr();
    this.expectClose(')', open);
    this.depth -= 1;
    return inner;
  }

  private parseAttrExpression(): FilterNode {
    const token = this.next();
    const path = parsePath(token);
    const open = this.peek();
    if (open.kind === '[') return this.parseValuePath(path, open);
    return this.parseOperation(path, token);
  }

  private parseOperation(path: AttrPath, pathToken: Token): FilterNode {
    this.countTerm(pathToken);
    const token = this.next();
    const op = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    const compareOp = COMPARE_OPERATORS.find((candidate) => candidate === op);
    if (compareOp) return { kind: 'compare', op: compareOp, path, value: this.parseValue(compareOp) };
    if (isKeyword(pathToken, 'not')) throw expected('"(" after "not"', token);
    throw expected('an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)', token);
  }

  private parseValue(op: CompareOperator): CompareValue {
    const token = this.next();
    switch (token.kind) {
      case 'string':
      case 'number':
      case 'literal':
        return token.value;
      case 'word':
        return token.text;
      default:
        throw expected(`a value after "${op}"`, token);
    }
  }

  private parseValuePath(path: AttrPath, open: Token): FilterNode {
    if (this.inValuePath) {
      throw ScimException.invalidFilter(`Unexpected "[" at position ${open.start}: value paths cannot be nested`);
    }
    if (path.subAttr !== undefined) {
      throw ScimException.invalidFilter(
        `Expected an attribute without sub-attribute before "[" at position ${open.start}`,
      );
    }
    this.next();
    this.enter(open);
    this.inValuePath = true;
    const filter = this.parseOr();
    this.expectClose(']', open);
    this.inValuePath = false;
    this.depth -= 1;
    return this.parseValuePathTail(path, filter);
  }

  /** `emails[type eq "work"].value eq "x"`: see parseFilter for the representation. */
  private parseValuePathTail(path: AttrPath, filter: FilterNode): FilterNode {
    const token = this.peek();
    if (token.kind !== 'word' || !token.text.startsWith('.')) return { kind: 'valuePath', path, filter };
    this.next();
    const subAttr = token.text.slice(1);
    if (!ATTR_NAME.test(subAttr)) {
      throw ScimException.invalidFilter(`Invalid sub-attribute ${quote(token.text)} at position ${token.start}`);
    }
    const trailing = this.parseOperation(attrPath(subAttr), token);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: trailing } };
  }

  private enter(open: Token): void {
    this.depth += 1;
    if (this.depth > this.limits.maxDepth) {
      throw ScimException.invalidFilter(
        `Filter nesting exceeds the maximum depth of ${this.limits.maxDepth} at position ${open.start}`,
      );
    }
  }

  private countTerm(start: Token): void {
    this.terms += 1;
    if (this.terms > this.limits.maxTerms) {
      throw ScimException.invalidFilter(
        `Too many attribute expressions at position ${start.start}; the maximum is ${this.limits.maxTerms}`,
      );
    }
  }

  private expectClose(kind: ')' | ']', open: Token): void {
    const token = this.next();
    if (token.kind !== kind) {
      const note = ` (the "${open.kind}" at position ${open.start} is not closed)`;
      throw expected(`"and", "or" or "${kind}"`, token, note);
    }
  }

  private peek(offset = 0): Token {
    // tokenize() always ends the list with an eof token, which peeking past the end returns.
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }
}

/**
 * RFC 7644 §3.10 attrPath: `[URI ":"] ATTRNAME ["." subAttr]`. Schema URNs contain ":" and ".",
 * so the attribute name is whatever follows the last ":"; the registry checks the URN later.
 */
function parsePath(token: Token): AttrPath {
  if (token.kind !== 'word' && token.kind !== 'literal') throw expected('an attribute path', token);
  const colon = token.text.lastIndexOf(':');
  const schemaUri = colon >= 0 ? token.text.slice(0, colon) : undefined;
  const [name = '', subAttr, ...extra] = token.text.slice(colon + 1).split('.');
  const valid =
    schemaUri !== '' &&
    extra.length === 0 &&
    ATTR_NAME.test(name) &&
    (subAttr === undefined || ATTR_NAME.test(subAttr));
  if (!valid) {
    throw ScimException.invalidFilter(`Invalid attribute path ${quote(token.text)} at position ${token.start}`);
  }
  return attrPath(name, subAttr, schemaUri);
}

function isKeyword(token: Token, keyword: 'and' | 'or' | 'not'): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === keyword;
}

function expected(what: string, token: Token, note = ''): ScimException {
  return ScimException.invalidFilter(`Expected ${what} at position ${token.start}, found ${describe(token)}${note}`);
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of filter';
    case '(':
    case ')':
    case '[':
    case ']':
      return `"${token.kind}"`;
    case 'string':
      return `the string ${quote(token.value)}`;
    case 'number':
    case 'literal':
    case 'word':
      return quote(token.text);
    default:
      return assertNever(token);
  }
}

/** Client text echoed in a detail is cut short so an error body stays small. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
