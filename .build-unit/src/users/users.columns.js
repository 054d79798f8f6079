/** Filterable User attributes with a column of their own (canonical path, lower-cased). */
export const USER_COLUMNS = new Map([
    ['id', { expr: 'u.id', kind: 'exact' }],
    ['username', { expr: 'u.user_name_key', kind: 'folded' }],
    ['externalid', { expr: 'u.external_id', kind: 'exact' }],
    ['displayname', { expr: 'u.display_name_key', kind: 'folded' }],
    ['active', { expr: 'u.active', kind: 'boolean' }],
    ['meta.created', { expr: 'u.created', kind: 'dateTime' }],
    ['meta.lastmodified', { expr: 'u.last_modified', kind: 'dateTime' }],
]);
//# sourceMappingURL=users.columns.js.map