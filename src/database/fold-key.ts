/**
 * The comparison key for case-insensitive attributes (caseExact: false): Unicode
 * NFKC normalisation plus full case mapping, which is the preparation RFC 7644 §7.8
 * asks for before comparing or uniqueness-checking userName (PRECIS, RFC 7613 §3).
 * Lower-upper-lower makes "ß", "ẞ" and "SS" all meet at "ss", as Unicode case folding does.
 * The same function is registered in SQLite, so stored keys and query keys agree.
 */
export function foldKey(value: string): string {
  return value.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase();
}
