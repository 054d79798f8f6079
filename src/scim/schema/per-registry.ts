import type { SchemaRegistry } from './schema-registry.js';

/**
 * Memoises what is derived from a compiled registry (indexed attributes, filter
 * targets) per registry, not per process: each directory's registry gets its own,
 * computed once, and dropped with the registry.
 */
export function perRegistry<T>(derive: (registry: SchemaRegistry) => T): (registry: SchemaRegistry) => T {
  const cache = new WeakMap<SchemaRegistry, T>();
  return (registry) => {
    if (cache.has(registry)) return cache.get(registry) as T;
    const value = derive(registry);
    cache.set(registry, value);
    return value;
  };
}
