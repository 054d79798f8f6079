/**
 * What a request costs against its budgets: 1, except a POST to `/Bulk` (RFC 7644 §3.7),
 * which costs one per operation in its body (at least 1), so batching buys no extra rate.
 * `path` is the request path without its query; `body` the parsed body, if any.
 */
export function requestCost(method: string, path: string, body: unknown): number {
  if (method !== 'POST' || !/\/Bulk\/?$/i.test(path)) return 1;
  return bulkCost(body);
}

/** The number of `Operations` of a /Bulk request body, at least 1 (anything else costs 1). */
export function bulkCost(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 1;
  // Member names are case-insensitive (RFC 7643 §2.1): "operations" costs the same.
  const operations: unknown = Object.entries(body as Record<string, unknown>).find(
    ([key]) => key.toLowerCase() === 'operations',
  )?.[1];
  return Array.isArray(operations) ? Math.max(1, operations.length) : 1;
}
