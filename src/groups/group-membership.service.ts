import { Inject, Injectable } from '@nestjs/common';
import { logSafe, logSafeList } from '../common/log/log-format.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { TxScope } from '../database/transaction.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { MemberDelta, MemberInput } from '../scim/patch/patch.types.js';
import { GroupsRepository, type ExistingMember } from './groups.repository.js';

/**
 * Membership changes as set-based SQL inside the caller's transaction: never a
 * read-modify-write of the whole member list (requirements B.10, B.11). Every change
 * gives the users added or removed, and the users below nested groups added or removed,
 * a new version, since their `groups` changed.
 */
@Injectable()
export class GroupMembershipService {
  constructor(
    private readonly groups: GroupsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The members a request names, checked: each exists (else 400 invalidValue for the
   * whole request, or skipped with UNKNOWN_MEMBERS=ignore), a stated type matches,
   * and no group would contain itself through nesting.
   */
  async resolve(tx: TxScope, groupId: string, refs: readonly MemberInput[]): Promise<ExistingMember[]> {
    const ids = [...new Set(refs.map((r) => r.value))];
    if (ids.some((v) => v === '')) throw ScimException.invalidValue("Every member needs a 'value'");
    const found = await this.groups.findMemberTargets(tx, ids);
    const byId = new Map(found.map((f) => [f.id, f]));
    const unknown = ids.filter((v) => !byId.has(v));
    if (unknown.length > 0 && this.config.unknownMembers === 'reject') {
      // Ids are client text of up to MAX_STRING_BYTES each: the detail names them escaped and cut.
      throw ScimException.invalidValue(`Unknown member ids: ${logSafeList(unknown)}`);
    }
    for (const ref of refs) {
      const target = byId.get(ref.value);
      if (ref.type && target && target.type !== ref.type) throw ScimException.invalidValue(`Member ${logSafe(ref.value)} is not a ${logSafe(ref.type)}`);
    }
    const nested = found.filter((f) => f.type === 'Group');
    if (nested.length > 0) await this.groups.lockGroupGraph(tx);
    for (const target of nested) {
      if (await this.groups.wouldCycle(tx, groupId, target.id)) {
        throw ScimException.invalidValue(`Adding group ${target.id} would make a membership cycle`);
      }
    }
    return found;
  }

  /** The member set becomes exactly `refs` (PUT, PATCH replace): a set difference, not delete-all-insert-all. */
  async replace(tx: TxScope, groupId: string, refs: readonly MemberInput[]): Promise<boolean> {
    const wanted = await this.resolve(tx, groupId, refs);
    const current = new Set(await this.groups.memberIds(tx, groupId));
    const wantedIds = new Set(wanted.map((w) => w.id));
    const removed = await this.groups.removeMembers(tx, groupId, [...current].filter((id) => !wantedIds.has(id)));
    const added = await this.groups.addMembers(tx, groupId, wanted.filter((w) => !current.has(w.id)));
    return this.touchUsers(tx, [...removed, ...added]);
  }

  /** Applies a PATCH member delta in its documented order (see MemberDelta). */
  async apply(tx: TxScope, groupId: string, delta: MemberDelta): Promise<boolean> {
    if (delta.replaceAll) {
      const replaced = await this.replace(tx, groupId, [...delta.replaceAll, ...delta.add]);
      return (await this.removeAndAdd(tx, groupId, { ...delta, add: [], replaceAll: undefined, removeAll: false })) || replaced;
    }
    return this.removeAndAdd(tx, groupId, delta);
  }

  private async removeAndAdd(tx: TxScope, groupId: string, delta: MemberDelta): Promise<boolean> {
    const changed: ExistingMember[] = [];
    if (delta.removeAll) changed.push(...(await this.groups.removeAllMembers(tx, groupId)));
    if (delta.removeIds.length > 0) changed.push(...(await this.groups.removeMembers(tx, groupId, delta.removeIds)));
    for (const filter of delta.removeWhere) changed.push(...(await this.groups.removeMembersWhere(tx, groupId, filter)));
    if (delta.add.length > 0) {
      const targets = await this.resolve(tx, groupId, delta.add);
      changed.push(...(await this.groups.addMembers(tx, groupId, targets)));
    }
    return this.touchUsers(tx, changed);
  }

  private async touchUsers(tx: TxScope, changed: readonly ExistingMember[]): Promise<boolean> {
    if (changed.length === 0) return false;
    const ids = (type: 'User' | 'Group') => [...new Set(changed.filter((m) => m.type === type).map((m) => m.id))];
    await this.groups.bumpUsers(tx, ids('User'), new Date().toISOString(), ids('Group'));
    return true;
  }
}
