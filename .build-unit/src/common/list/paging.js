/**
 * RFC 7644 §3.4.2.4: startIndex below 1 is 1; a negative count is 0; the server
 * returns no more than its maximum page size, and a default when count is absent.
 */
export function resolvePage(startIndex, count, defaults) {
    const start = startIndex === undefined || startIndex < 1 ? 1 : startIndex;
    const size = count === undefined ? defaults.defaultPageSize : Math.max(0, Math.min(count, defaults.maxPageSize));
    return { startIndex: start, count: size };
}
//# sourceMappingURL=paging.js.map