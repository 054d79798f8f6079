/**
 * RFC 7644 §3.12 Table 9 `scimType` keywords, plus the three RFC 9865 §2.1 adds,
 * each with the one HTTP status we answer it with. Where the RFCs disagree
 * (RFC 7643 §7 allows 400 for a uniqueness failure; Table 9 lists `uniqueness` and `sensitive`
 * under 400) the choice is: `uniqueness` 409 (§3.3), `sensitive` 403 (§7.5.2),
 * `tooMany` 400 (Table 9 lists it under 400).
 */
export const SCIM_TYPE_STATUS = {
  invalidFilter: 400,
  tooMany: 400,
  uniqueness: 409,
  mutability: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  noTarget: 400,
  invalidValue: 400,
  invalidVers: 400,
  sensitive: 403,
  invalidCursor: 400,
  expiredCursor: 400,
  invalidCount: 400,
} as const satisfies Record<string, number>;

export type ScimType = keyof typeof SCIM_TYPE_STATUS;
