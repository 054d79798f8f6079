import type { MemberType } from '../scim/patch/patch.types.js';

export type { MemberType };

/** A member that exists, and which kind it is. */
export interface ExistingMember {
  readonly id: string;
  readonly type: MemberType;
}

/** A member as read back, with `display` taken from the member itself (RFC 7643 §2.4). */
export interface MemberRow {
  readonly value: string;
  readonly type: MemberType;
  readonly display: string | null;
}

/** One of a user's groups (RFC 7643 §4.1.2), direct (depth 0) or through nested groups. */
export interface UserGroupRow {
  readonly user_id: string;
  readonly id: string;
  readonly display: string;
  readonly depth: number;
}
