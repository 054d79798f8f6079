/** A row of a table with a UNIQUE key column, oldest first (created, then id). */
export interface KeyedRow {
  readonly id: string;
  readonly oldKey: string;
  readonly newKey: string;
}

export interface RekeyPlan {
  /** Key changes, in an order in which each target key is free when its UPDATE runs. */
  readonly updates: readonly { readonly id: string; readonly key: string }[];
  /** Rows left on their old key because another row holds their new one. */
  readonly kept: readonly {
    readonly id: string;
    readonly oldKey: string;
    readonly newKey: string;
    readonly holderId: string;
  }[];
}

/**
 * Moves every row to its new key where that keeps the key unique. Rows whose new keys
 * collide: the oldest takes the new key, unless a row already holds it unchanged (it
 * cannot be moved without breaking the unique index); the others keep their old key
 * and are reported, so an administrator can rename them. A move frees the old key, so
 * the walk repeats until nothing moves (each row moves at most once).
 */
export function planRekey(rows: readonly KeyedRow[]): RekeyPlan {
  const current = new Map(rows.map((r) => [r.id, r.oldKey]));
  const holder = new Map(rows.map((r) => [r.oldKey, r.id]));
  const updates: { id: string; key: string }[] = [];
  let moved = true;
  while (moved) {
    moved = false;
    for (const row of rows) {
      const key = current.get(row.id) as string;
      if (key === row.newKey || holder.has(row.newKey)) continue;
      holder.delete(key);
      holder.set(row.newKey, row.id);
      current.set(row.id, row.newKey);
      updates.push({ id: row.id, key: row.newKey });
      moved = true;
    }
  }
  const kept = rows
    .filter((r) => current.get(r.id) !== r.newKey)
    .map((r) => ({ id: r.id, oldKey: r.oldKey, newKey: r.newKey, holderId: holder.get(r.newKey) as string }));
  return { updates, kept };
}
