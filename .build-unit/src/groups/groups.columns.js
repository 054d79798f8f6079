/** Filterable Group attributes (canonical path, lower-cased) and where they live. */
export const GROUP_COLUMNS = new Map([
    ['id', { expr: 'g.id', kind: 'exact' }],
    ['displayname', { expr: 'g.display_name_key', kind: 'folded' }],
    ['externalid', { expr: 'g.external_id', kind: 'exact' }],
    ['meta.created', { expr: 'g.created', kind: 'dateTime' }],
    ['meta.lastmodified', { expr: 'g.last_modified', kind: 'dateTime' }],
    [
        'members.value',
        {
            expr: 'EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.member_id = $value)',
            kind: 'existsEq',
            presentExpr: 'EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id)',
        },
    ],
]);
//# sourceMappingURL=groups.columns.js.map