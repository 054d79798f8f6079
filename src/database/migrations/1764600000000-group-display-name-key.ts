import type { MigrationInterface, QueryRunner } from 'typeorm';
import { toDriverQuery, type SqlParam } from '../sql-reader.js';

type SqlRow = Record<string, unknown>;

/** GROUP_DISPLAY_NAME_UNIQUE as the configuration reads it (env.dto.ts toBool; unset: true). */
function envUnique(): boolean {
  const raw = process.env['GROUP_DISPLAY_NAME_UNIQUE'];
  return raw === undefined || !['false', '0', 'no', 'off', ''].includes(raw.trim().toLowerCase());
}

function settingsOf(text: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(String(text));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * Group displayName uniqueness per directory (setting `groupDisplayNameUnique`): the nullable
 * `display_name_unique_key` holds the displayName's key (the same case-folded key as
 * `display_name_key`: RFC 7643 §4.2 displayName is caseExact false) while the setting is on,
 * NULL while it is off, and a partial unique index leading with `directory_id` refuses a second
 * group of that name in the directory. A directory that already holds two groups of one name
 * gets the setting stored as false (logged), so nothing it has breaks; every other directory
 * whose setting is on (its own, else GROUP_DISPLAY_NAME_UNIQUE) gets its keys filled.
 */
export class GroupDisplayNameKey1764600000000 implements MigrationInterface {
  name = 'GroupDisplayNameKey1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const postgres = q.connection.options.type === 'postgres';
    const run = (sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> =>
      q.query(...toDriverQuery(postgres ? 'postgres' : 'sqlite', sql, params)) as Promise<SqlRow[]>;
    await q.query('ALTER TABLE groups ADD COLUMN display_name_unique_key text');
    await q.query(
      `CREATE UNIQUE INDEX uq_groups_display_name_unique_key ON groups (directory_id, display_name_unique_key)
       WHERE display_name_unique_key IS NOT NULL`,
    );
    const duplicated = new Set(
      (
        await run(
          'SELECT DISTINCT directory_id FROM groups GROUP BY directory_id, display_name_key HAVING COUNT(*) > 1',
        )
      ).map((r) => Number(r['directory_id'])),
    );
    const directories = await run('SELECT id, slug, settings FROM directories ORDER BY id');
    for (const row of directories) {
      const id = Number(row['id']);
      const settings = settingsOf(row['settings']);
      if (duplicated.has(id)) {
        await run('UPDATE directories SET settings = $2 WHERE id = $1', [
          id,
          JSON.stringify({ ...settings, groupDisplayNameUnique: false }),
        ]);
        // eslint-disable-next-line no-console -- migrations run before (and outside) Nest's logger
        console.warn(
          `${this.name}: directory ${id} (${String(row['slug'])}) holds groups with equal displayNames; ` +
            'its setting groupDisplayNameUnique is now false (rename them, then turn it on)',
        );
      } else if (
        typeof settings['groupDisplayNameUnique'] === 'boolean' ? settings['groupDisplayNameUnique'] : envUnique()
      ) {
        await run('UPDATE groups SET display_name_unique_key = display_name_key WHERE directory_id = $1', [id]);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX uq_groups_display_name_unique_key');
    await q.query('ALTER TABLE groups DROP COLUMN display_name_unique_key');
  }
}
