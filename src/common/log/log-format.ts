// eslint-disable-next-line no-control-regex -- control characters are what this pattern escapes
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/g;

export const LOG_LIST_MAX_ITEMS = 20;
export const LOG_ITEM_MAX_CHARS = 64;

/**
 * Client text made safe for one log line: control characters (C0, DEL, C1, the
 * Unicode line and paragraph separators) and the backslash become `\uXXXX` / `\\`,
 * so a name cannot end the line and forge another; at most `maxChars` code points
 * are kept, a cut is marked with `…`.
 */
export function logSafe(text: string, maxChars = LOG_ITEM_MAX_CHARS): string {
  const points = Array.from(text);
  const kept = points.length > maxChars ? `${points.slice(0, maxChars).join('')}…` : text;
  return kept.replace(UNSAFE, (c) => (c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A bounded, escaped list for a log line: the first 20 names, then "and N more". */
export function logSafeList(items: readonly string[], maxItems = LOG_LIST_MAX_ITEMS): string {
  const shown = items
    .slice(0, maxItems)
    .map((item) => logSafe(item))
    .join(', ');
  const rest = items.length - maxItems;
  return rest > 0 ? `${shown} and ${rest} more` : shown;
}
