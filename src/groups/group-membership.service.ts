import { Inject, Injectable } from '@nestjs/common';
import { logSafe, logSafeList } from '../common/log/log-format.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { effectiveSettings } from '../directories/effective-settings.js';
import type { MemberChange, UnitOfWork } from '../database/unit-of-work.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import type { ExistingMember, MemberType } from '../membership/membership.types.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { MemberDelta, MemberInput } from '../scim/patch/patch.types.js';

/** The net member delta of each group a unit of work changed: an id removed and added again is neither. */
class MemberDeltas {
  private readonly byGroup = new Map<string, { added: Set<string>; removed: Set<string> }>();

  note(groupId: string, added: readonly ExistingMember[], removed: readonly ExistingMember[]): void {
    let delta = this.byGroup.get(groupId);
    if (!delta) this.byGroup.set(groupId, (delta = { added: new Set(), removed: new Set() }));
    for (const { id } of removed) if (!delta.added.delete(id)) delta.removed.add(id);
    for (const { id } of added) if (!delta.removed.delete(id)) delta.added.add(id);
  }

  take(groupId: string): MemberChange | undefined {
    const delta = this.byGroup.get(groupId);
    this.byGroup.delete(groupId);
    return delta && { added: [...delta.added], removed: [...delta.removed] };
  }
}

/**
 * Membership changes as set-based SQL inside the caller's unit of work: never a
 * read-modify-write of the whole member list. Every change
 * gives the users added or removed, and the users below nested groups added or removed,
 * a new version, since their `groups` changed.
 */
@Injectable()
export class GroupMembershipService {
  private readonly deltas = new WeakMap<UnitOfWork, MemberDeltas>();

  constructor(
    private readonly groups: MembershipRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The members a request names, checked: each exists (else 400 invalidValue for the
   * whole request, or skipped with UNKNOWN_MEMBERS=ignore), a stated type matches,
   * and no group would contain itself through nesting. A group being `created` is in no
   * group and its id is invisible to other transactions until commit: no cycle is possible.
   */
  async resolve(
    uow: UnitOfWork,
    groupId: string,
    refs: readonly MemberInput[],
    created = false,
  ): Promise<ExistingMember[]> {
    const ids = [...new Set(refs.map((r) => r.value))];
    if (ids.some((v) => v === '')) throw ScimException.invalidValue("Every member needs a 'value'");
    const found = await this.groups.findMemberTargets(uow, ids);
    const byId = new Map(found.map((f) => [f.id, f]));
    const unknown = ids.filter((v) => !byId.has(v));
    if (unknown.length > 0 && effectiveSettings(this.config, uow.context.directory).unknownMembers === 'reject') {
      // Ids are client text of up to MAX_STRING_BYTES each: the detail names them escaped and cut.
      throw ScimException.invalidValue(`Unknown member ids: ${logSafeList(unknown)}`);
    }
    for (const ref of refs) {
      const target = byId.get(ref.value);
      if (ref.type && target && target.type !== ref.type)
        throw ScimException.invalidValue(`Member ${logSafe(ref.value)} is not a ${logSafe(ref.type)}`);
    }
    if (!created) await this.refuseCycles(uow, groupId, found);
    return found;
  }

  /**
   * The member set becomes exactly `refs` (PUT, PATCH replace, and a POST's members when
   * `created`): a set difference, not delete-all-insert-all.
   */
  async replace(uow: UnitOfWork, groupId: string, refs: readonly MemberInput[], created = false): Promise<boolean> {
    const wanted = await this.resolve(uow, groupId, refs, created);
    const current = new Set(created ? [] : await this.groups.memberIds(uow, groupId));
    const wantedIds = new Set(wanted.map((w) => w.id));
    const removed = await this.groups.removeMembers(
      uow,
      groupId,
      [...current].filter((id) => !wantedIds.has(id)),
    );
    const added = await this.groups.addMembers(
      uow,
      groupId,
      wanted.filter((w) => !current.has(w.id)),
    );
    this.note(uow, groupId, added, removed);
    return this.touchUsers(uow, [...removed, ...added]);
  }

  /** The members this unit of work added to and removed from the group, for its audit record; taken once. */
  takeChange(uow: UnitOfWork, groupId: string): MemberChange | undefined {
    return this.deltas.get(uow)?.take(groupId);
  }

  /** Applies a PATCH member delta in its documented order (see MemberDelta). */
  async apply(uow: UnitOfWork, groupId: string, delta: MemberDelta): Promise<boolean> {
    if (delta.replaceAll) {
      const replaced = await this.replace(uow, groupId, [...delta.replaceAll, ...delta.add]);
      return (
        (await this.removeAndAdd(uow, groupId, { ...delta, add: [], replaceAll: undefined, removeAll: false })) ||
        replaced
      );
    }
    return this.removeAndAdd(uow, groupId, delta);
  }

  private async removeAndAdd(uow: UnitOfWork, groupId: string, delta: MemberDelta): Promise<boolean> {
    const removed: ExistingMember[] = [];
    if (delta.removeAll) removed.push(...(await this.groups.removeAllMembers(uow, groupId)));
    if (delta.removeIds.length > 0) removed.push(...(await this.groups.removeMembers(uow, groupId, delta.removeIds)));
    for (const filter of delta.removeWhere)
      removed.push(...(await this.groups.removeMembersWhere(uow, groupId, filter)));
    const added =
      delta.add.length > 0
        ? await this.groups.addMembers(uow, groupId, await this.resolve(uow, groupId, delta.add))
        : [];
    this.note(uow, groupId, added, removed);
    return this.touchUsers(uow, [...removed, ...added]);
  }

  /** Member groups that are the group itself or above it would close a cycle: one ancestor walk for all. */
  private async refuseCycles(uow: UnitOfWork, groupId: string, found: readonly ExistingMember[]): Promise<void> {
    const nested = found.filter((f) => f.type === 'Group').map((f) => f.id);
    if (nested.length === 0) return;
    await this.groups.lockGroupGraph(uow);
    const cycle = await this.groups.firstCycle(uow, groupId, nested);
    if (cycle !== undefined) throw ScimException.invalidValue(`Adding group ${cycle} would make a membership cycle`);
  }

  private note(uow: UnitOfWork, groupId: string, added: ExistingMember[], removed: ExistingMember[]): void {
    let deltas = this.deltas.get(uow);
    if (!deltas) this.deltas.set(uow, (deltas = new MemberDeltas()));
    deltas.note(groupId, added, removed);
  }

  private async touchUsers(uow: UnitOfWork, changed: readonly ExistingMember[]): Promise<boolean> {
    if (changed.length === 0) return false;
    const ids = (type: MemberType) => [...new Set(changed.filter((m) => m.type === type).map((m) => m.id))];
    await this.groups.bumpUsers(uow, ids('User'), new Date().toISOString(), ids('Group'));
    return true;
  }
}
