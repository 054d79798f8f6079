import { ScimException } from '../errors/scim.exception.js';
import type { ValidatedFilter } from '../filter/validate-filter.js';
import { filterSubAttributes, matchesElement } from '../filter/element-filter.evaluator.js';
import type { MemberDelta, MemberInput } from './patch.types.js';

/**
 * Folds a request's operations on Group `members` (applied in order, RFC 7644 §3.5.2) into one
 * MemberDelta the repository applies set-wise, in the order documented on MemberDelta:
 *
 * - replace(list)  → replaceAll = list; everything recorded before is void.
 * - removeAll()    → removeAll; everything recorded before is void.
 * - add(list)      → merged into replaceAll when one is pending, else into `add`; an id added
 *                    after being removed leaves `removeIds` (remove-then-add keeps the member).
 * - removeIds(ids) → taken out of replaceAll / `add`; recorded in `removeIds` unless the stored
 *                    set is already wholly replaced or removed (add-then-remove drops it).
 * - removeWhere(f) → applied at once to the members this request added (replaceAll or `add`),
 *                    recorded for the stored members unless they are wholly replaced or removed.
 *
 * Each step keeps the invariant the repository relies on: replaceAll excludes every other field,
 * removeAll excludes removeIds and removeWhere, and `add` and `removeIds` are disjoint.
 */
export class MemberDeltaBuilder {
  private used = false;
  private replaceAll: Map<string, MemberInput> | undefined;
  private readonly added = new Map<string, MemberInput>();
  private readonly removedIds = new Set<string>();
  private removedAll = false;
  private readonly removedWhere: ValidatedFilter[] = [];

  /** Whether any operation targeted `members`. */
  get touched(): boolean {
    return this.used;
  }

  add(members: readonly MemberInput[]): void {
    this.used = true;
    const pending = this.replaceAll ?? this.added;
    for (const member of members) {
      this.removedIds.delete(member.value);
      merge(pending, member);
    }
  }

  replace(members: readonly MemberInput[]): void {
    this.clear();
    this.replaceAll = new Map();
    for (const member of members) merge(this.replaceAll, member);
  }

  removeAll(): void {
    this.clear();
    this.removedAll = true;
  }

  removeIds(ids: readonly string[]): void {
    this.used = true;
    for (const id of ids) {
      if (this.replaceAll) {
        this.replaceAll.delete(id);
        continue;
      }
      this.added.delete(id);
      if (!this.removedAll) this.removedIds.add(id);
    }
  }

  removeWhere(filter: ValidatedFilter): void {
    this.used = true;
    const pending = this.replaceAll ?? this.added;
    for (const member of [...pending.values()]) {
      if (matchesPending(filter, member)) pending.delete(member.value);
    }
    if (!this.replaceAll && !this.removedAll) this.removedWhere.push(filter);
  }

  build(): MemberDelta {
    return {
      ...(this.replaceAll ? { replaceAll: [...this.replaceAll.values()] } : {}),
      add: [...this.added.values()],
      removeIds: [...this.removedIds],
      removeAll: this.removedAll,
      removeWhere: [...this.removedWhere],
    };
  }

  private clear(): void {
    this.used = true;
    this.replaceAll = undefined;
    this.added.clear();
    this.removedIds.clear();
    this.removedAll = false;
    this.removedWhere.length = 0;
  }
}

/** The same id twice in one request is one member; a stated type wins over an absent one. */
function merge(target: Map<string, MemberInput>, member: MemberInput): void {
  const type = member.type ?? target.get(member.value)?.type;
  target.set(member.value, { value: member.value, ...(type ? { type } : {}) });
}

/**
 * A member added earlier in this request carries only `value` and, maybe, `type`; `display` and
 * `$ref` are the server's to fill in later. A filter that reads what the request did not say
 * cannot be decided, and guessing would silently keep or drop a member, so it fails
 * (RFC 7644 §3.12 invalidFilter: "comparison combination is not supported").
 */
function matchesPending(filter: ValidatedFilter, member: MemberInput): boolean {
  for (const name of filterSubAttributes(filter)) {
    const known = name === 'value' || (name === 'type' && member.type !== undefined);
    if (!known) {
      throw ScimException.invalidFilter(
        `Cannot evaluate members.${name} for member ${member.value} added earlier in the same request; ` +
          'send the removal in a separate request',
      );
    }
  }
  return matchesElement(filter, { value: member.value, ...(member.type ? { type: member.type } : {}) });
}
