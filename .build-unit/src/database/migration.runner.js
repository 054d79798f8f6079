import { Logger } from '@nestjs/common';
// Any constant works; it only has to be the same in every instance.
const MIGRATION_LOCK_KEY = 7_644_2015;
/**
 * Runs pending migrations. On PostgreSQL a session-level advisory lock makes
 * instances that start together take turns: the first migrates, the others then
 * find nothing pending. SQLite has one process per file, so no lock is needed.
 */
export async function runMigrations(dataSource) {
    const logger = new Logger('Migrations');
    if (dataSource.options.type !== 'postgres') {
        const applied = await dataSource.runMigrations({ transaction: 'all' });
        if (applied.length > 0)
            logger.log(`applied ${applied.map((m) => m.name).join(', ')}`);
        return;
    }
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
        await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        const applied = await dataSource.runMigrations({ transaction: 'all' });
        if (applied.length > 0)
            logger.log(`applied ${applied.map((m) => m.name).join(', ')}`);
    }
    finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        await runner.release();
    }
}
//# sourceMappingURL=migration.runner.js.map