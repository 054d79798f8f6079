import { ScimException } from '../errors/scim.exception.js';
/** RFC 8259 §6 number grammar, matched against a whole word. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** RFC 8259 §2 whitespace; the filter grammar's SP is read as any run of it. */
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const PUNCTUATION = new Set(['(', ')', '[', ']']);
/** RFC 8259 §7 two-character escapes. */
const SIMPLE_ESCAPES = new Map([
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
export function tokenize(text) {
    const tokens = [];
    let i = 0;
    while (i < text.length) {
        const ch = text.charAt(i);
        if (WHITESPACE.has(ch)) {
            i += 1;
        }
        else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
            tokens.push({ kind: ch, start: i });
            i += 1;
        }
        else if (ch === '"') {
            const { value, end } = readString(text, i);
            tokens.push({ kind: 'string', start: i, value });
            i = end;
        }
        else {
            const end = wordEnd(text, i);
            tokens.push(classifyWord(text.slice(i, end), i));
            i = end;
        }
    }
    tokens.push({ kind: 'eof', start: text.length });
    return tokens;
}
function wordEnd(text, start) {
    let i = start;
    while (i < text.length) {
        const ch = text.charAt(i);
        if (WHITESPACE.has(ch) || PUNCTUATION.has(ch) || ch === '"')
            break;
        i += 1;
    }
    return i;
}
function classifyWord(text, start) {
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === 'false')
        return { kind: 'literal', start, value: lower === 'true', text };
    if (lower === 'null')
        return { kind: 'literal', start, value: null, text };
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
function readString(text, start) {
    let value = '';
    let i = start + 1;
    while (i < text.length) {
        const ch = text.charAt(i);
        if (ch === '"')
            return { value, end: i + 1 };
        if (ch === '\\') {
            const escape = readEscape(text, i);
            value += escape.value;
            i = escape.end;
        }
        else if (ch < ' ') {
            throw ScimException.invalidFilter(`Control character U+${hex(ch)} at position ${i} must be escaped in a string`);
        }
        else {
            value += ch;
            i += 1;
        }
    }
    throw ScimException.invalidFilter(`Unterminated string starting at position ${start}`);
}
function readEscape(text, start) {
    const code = text.charAt(start + 1);
    const simple = SIMPLE_ESCAPES.get(code);
    if (simple !== undefined)
        return { value: simple, end: start + 2 };
    if (code === 'u') {
        const digits = text.slice(start + 2, start + 6);
        if (HEX4.test(digits))
            return { value: String.fromCharCode(parseInt(digits, 16)), end: start + 6 };
        throw ScimException.invalidFilter(`Expected 4 hex digits after "\\u" at position ${start}`);
    }
    if (code === '')
        throw ScimException.invalidFilter(`Unterminated string at position ${start}`);
    throw ScimException.invalidFilter(`Invalid escape "\\${code}" at position ${start}`);
}
function hex(ch) {
    return ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}
//# sourceMappingURL=filter.lexer.js.map