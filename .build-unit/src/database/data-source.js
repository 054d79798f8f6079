import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiTokenEntity } from '../auth/entities/api-token.entity.js';
import { GroupEntity } from '../groups/entities/group.entity.js';
import { GroupMemberEntity } from '../groups/entities/group-member.entity.js';
import { UserEntity } from '../users/entities/user.entity.js';
import { foldKey } from './fold-key.js';
import { MIGRATIONS } from './migrations/index.js';
import { ServerStateEntity } from './server-state.entity.js';
export const ENTITIES = [UserEntity, GroupEntity, GroupMemberEntity, ApiTokenEntity, ServerStateEntity];
/** WAL so readers never block the writer; a busy timeout instead of SQLITE_BUSY errors. */
function prepareSqlite(db) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.function('scim_fold', { deterministic: true }, (value) => typeof value === 'string' ? foldKey(value) : value);
}
/**
 * The one DataSource definition, shared by the application and ormconfig.ts (the
 * TypeORM CLI). Schema changes only through migrations: synchronize is never on.
 */
export function buildDataSourceOptions(config) {
    const common = {
        entities: ENTITIES,
        migrations: MIGRATIONS,
        migrationsTableName: 'typeorm_migrations',
        synchronize: false,
        migrationsRun: false,
        logging: false,
    };
    if (config.database.type === 'postgres') {
        return {
            ...common,
            type: 'postgres',
            url: config.database.url,
            poolSize: config.database.poolSize,
            extra: {
                max: config.database.poolSize,
                statement_timeout: config.database.statementTimeoutMs || undefined,
                application_name: 'scim-server',
            },
        };
    }
    const path = config.database.path;
    if (path !== ':memory:')
        mkdirSync(dirname(path), { recursive: true });
    return {
        ...common,
        type: 'better-sqlite3',
        database: path,
        prepareDatabase: (db) => prepareSqlite(db),
    };
}
//# sourceMappingURL=data-source.js.map