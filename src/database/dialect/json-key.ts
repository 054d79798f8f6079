// Attribute names come from the schema registry, never from the client; checked anyway.
const SAFE_KEY = /^[A-Za-z0-9:._$-]+$/;

/** The key, when it is safe to write into SQL text as a JSON path label. */
export function safeJsonKey(key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`unsafe JSON key ${key}`);
  return key;
}
