var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.js';
import { SQL_READER } from '../database/sql-reader.js';
import { FilterToSql } from '../database/sql/filter-to-sql.js';
import { ParamBinder } from '../database/sql/sql-fragment.js';
import { USER_COLUMNS } from './users.columns.js';
import { txQuery } from '../database/transaction.service.js';
const USER_COLUMNS_SQL = 'u.id, u.doc, u.version, u.created, u.last_modified';
// Depth-bounded so that a membership cycle cannot make the recursion run away.
const MAX_NESTING = 32;
function groupsOfSql(count) {
    const ids = Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
    return `WITH RECURSIVE g(user_id, group_id, depth) AS (
      SELECT member_id, group_id, 0 FROM group_members WHERE member_id IN (${ids})
      UNION
      SELECT g.user_id, gm.group_id, g.depth + 1
        FROM group_members gm JOIN g ON gm.member_id = g.group_id
       WHERE g.depth < ${MAX_NESTING}
    )
    SELECT g.user_id, g.group_id AS id, MIN(g.depth) AS depth, gr.display_name AS display
      FROM g JOIN groups gr ON gr.id = g.group_id
     GROUP BY g.user_id, g.group_id, gr.display_name
     ORDER BY g.user_id, gr.display_name, g.group_id`;
}
/** The only TypeORM/SQL code for users. Reads use prepared statements; writes take a TxScope. */
let UsersRepository = class UsersRepository {
    reader;
    dialect;
    constructor(reader, config) {
        this.reader = reader;
        this.dialect = config.database.type;
    }
    get sqlDialect() {
        return this.dialect;
    }
    async findById(id) {
        const rows = await this.reader.all('user_by_id', `SELECT ${USER_COLUMNS_SQL} FROM users u WHERE u.id = $1`, [id]);
        return rows[0] ?? null;
    }
    /** Direct and indirect groups of the given users, in one recursive query. */
    async findGroupsOf(userIds) {
        if (userIds.length === 0)
            return [];
        const name = userIds.length === 1 ? 'user_groups_1' : undefined;
        return this.reader.all(name, groupsOfSql(userIds.length), userIds);
    }
    /**
     * One page of the users matching a validated filter, in the default order
     * (creation time, then id) so that pages never overlap, plus the total count.
     */
    async search(filter, offset, limit) {
        const binder = new ParamBinder(this.dialect);
        const where = filter ? new FilterToSql(USER_COLUMNS, binder).translate(filter) : '1 = 1';
        const params = binder.params;
        const countRows = await this.reader.all(undefined, `SELECT COUNT(*) AS n FROM users u WHERE ${where}`, params);
        const total = Number(countRows[0]?.['n'] ?? 0);
        if (limit === 0 || offset >= total)
            return { rows: [], total };
        const n = params.length;
        const sql = `SELECT ${USER_COLUMNS_SQL} FROM users u WHERE ${where}
      ORDER BY u.created, u.id LIMIT $${n + 1} OFFSET $${n + 2}`;
        const rows = await this.reader.all(undefined, sql, [...params, limit, offset]);
        return { rows, total };
    }
    async insert(tx, id, user, passwordHash, now) {
        await this.exec(tx, `INSERT INTO users
      (id, user_name, user_name_key, external_id, display_name, display_name_key, active, created, last_modified, version, doc, password_hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1, $9, $10)`, [
            id, user.userName, user.userNameKey, user.externalId, user.displayName, user.displayNameKey,
            user.active, now, user.doc, passwordHash,
        ]);
    }
    /** The row, locked against concurrent writers until the transaction ends (PostgreSQL). */
    async findForUpdate(tx, id) {
        // NO KEY UPDATE: the id never changes, so member adds (KEY SHARE) need not wait for it.
        const lock = this.dialect === 'postgres' ? ' FOR NO KEY UPDATE' : '';
        const rows = await this.exec(tx, `SELECT ${USER_COLUMNS_SQL}, u.password_hash FROM users u WHERE u.id = $1${lock}`, [id]);
        return rows[0] ?? null;
    }
    async replace(tx, id, user, passwordHash, now) {
        await this.exec(tx, `UPDATE users SET user_name = $2, user_name_key = $3, external_id = $4, display_name = $5,
      display_name_key = $6, active = $7, doc = $8, password_hash = $9, last_modified = $10, version = version + 1
      WHERE id = $1`, [
            id, user.userName, user.userNameKey, user.externalId, user.displayName, user.displayNameKey,
            user.active, user.doc, passwordHash, now,
        ]);
    }
    /**
     * Deletes the user and its memberships; the groups it left get a new version,
     * since their member list changed. False when there was no such user.
     */
    async delete(tx, id, now) {
        // The row lock waits for transactions that are adding this user to a group (KEY SHARE).
        const lock = this.dialect === 'postgres' ? ' FOR UPDATE' : '';
        const found = await this.exec(tx, `SELECT id FROM users WHERE id = $1${lock}`, [id]);
        if (found.length === 0)
            return false;
        await this.exec(tx, `UPDATE groups SET version = version + 1, last_modified = $2
      WHERE id IN (SELECT group_id FROM group_members WHERE member_id = $1)`, [id, now]);
        await this.exec(tx, 'DELETE FROM group_members WHERE member_id = $1', [id]);
        await this.exec(tx, 'DELETE FROM users WHERE id = $1', [id]);
        return true;
    }
    exec(tx, sql, params) {
        return txQuery(tx, this.dialect, sql, params);
    }
};
UsersRepository = __decorate([
    Injectable(),
    __param(0, Inject(SQL_READER)),
    __param(1, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [Object, Object])
], UsersRepository);
export { UsersRepository };
//# sourceMappingURL=users.repository.js.map