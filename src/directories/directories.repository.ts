import { Inject, Injectable } from '@nestjs/common';
import type { DirectorySettings } from '../common/http/scim-context.js';
import { SQL_READER, type SqlReader } from '../database/sql-reader.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { parseSettings } from './directory-settings.js';
import type { DirectoryRecord } from './directory.types.js';

const COLUMNS = 'id, slug, display_name, settings, disabled, created, last_modified, version, deleted_at';

interface DirectoryRow {
  id: number | string;
  slug: string;
  display_name: string;
  settings: string;
  disabled: boolean | number;
  created: string;
  last_modified: string;
  version: number | string;
  deleted_at: string | null;
}

function toRecord(row: DirectoryRow): DirectoryRecord {
  return {
    id: Number(row.id),
    slug: row.slug,
    displayName: row.display_name,
    settings: parseSettings(row.settings),
    // SQLite stores booleans as 0/1.
    disabled: Boolean(row.disabled),
    created: row.created,
    lastModified: row.last_modified,
    version: Number(row.version),
    deletedAt: row.deleted_at,
  };
}

export interface NewDirectory {
  readonly slug: string;
  readonly displayName: string;
  readonly settings: DirectorySettings;
}

export interface DirectoryChange {
  readonly displayName?: string;
  readonly settings?: DirectorySettings;
  readonly disabled?: boolean;
}

/**
 * The only SQL on the `directories` table. It is not a resource table: its rows are the
 * directories themselves, so no directory scope applies. Reads outside a unit of work go
 * through the SqlReader (never the SQLite writer's connection).
 */
@Injectable()
export class DirectoriesRepository {
  constructor(@Inject(SQL_READER) private readonly reader: SqlReader) {}

  /** A live directory (not being deleted) by slug. */
  async findBySlug(slug: string): Promise<DirectoryRecord | null> {
    const rows = await this.reader.all<DirectoryRow>(
      'directory_by_slug',
      `SELECT ${COLUMNS} FROM directories WHERE slug = $1 AND deleted_at IS NULL`,
      [slug],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** A live directory by id. */
  async findById(id: number): Promise<DirectoryRecord | null> {
    const rows = await this.reader.all<DirectoryRow>(
      'directory_by_id',
      `SELECT ${COLUMNS} FROM directories WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Live directories in id order, a page after `afterId`. */
  async list(afterId: number, limit: number): Promise<DirectoryRecord[]> {
    const rows = await this.reader.all<DirectoryRow>(
      'directory_list',
      `SELECT ${COLUMNS} FROM directories WHERE deleted_at IS NULL AND id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toRecord);
  }

  /** Directories whose delete was accepted and whose rows may still be purged. */
  async listDeleted(): Promise<DirectoryRecord[]> {
    const rows = await this.reader.all<DirectoryRow>(
      undefined,
      `SELECT ${COLUMNS} FROM directories WHERE deleted_at IS NOT NULL ORDER BY id`,
      [],
    );
    return rows.map(toRecord);
  }

  /**
   * The live directories, counted in `uow`'s transaction. SQLite serialises writers, so the
   * count bounds exactly there; on PostgreSQL concurrent creations may each see the count
   * before the others' inserts, so the bound can be passed by the number of concurrent creations.
   */
  async countLive(uow: UnitOfWork): Promise<number> {
    const rows = await uow.query<{ n: number | string }>(
      'SELECT count(*) AS n FROM directories WHERE deleted_at IS NULL',
      [],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Inserts unless the slug is taken (also by a directory still being purged); null when it is. */
  async insert(uow: UnitOfWork, dir: NewDirectory, at: string): Promise<DirectoryRecord | null> {
    const rows = await uow.query<DirectoryRow>(
      `INSERT INTO directories (slug, display_name, settings, disabled, created, last_modified, version)
       VALUES ($1, $2, $3, $4, $5, $5, 1) ${uow.dialect.onConflictDoNothing('slug')} RETURNING ${COLUMNS}`,
      [dir.slug, dir.displayName, JSON.stringify(dir.settings), false, at],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The live directory, locked against concurrent changes (PostgreSQL). */
  async findForUpdate(uow: UnitOfWork, id: number): Promise<DirectoryRecord | null> {
    const rows = await uow.query<DirectoryRow>(
      `SELECT ${COLUMNS} FROM directories WHERE id = $1 AND deleted_at IS NULL${uow.dialect.lock('update')}`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Writes the changed fields of a locked, live directory; its version moves by one. */
  async update(uow: UnitOfWork, current: DirectoryRecord, change: DirectoryChange, at: string): Promise<void> {
    await uow.query(
      `UPDATE directories SET display_name = $2, settings = $3, disabled = $4, last_modified = $5,
       version = version + 1 WHERE id = $1 AND deleted_at IS NULL`,
      [
        current.id,
        change.displayName ?? current.displayName,
        JSON.stringify(change.settings ?? current.settings),
        change.disabled ?? current.disabled,
        at,
      ],
    );
  }

  async markDeleted(uow: UnitOfWork, id: number, at: string): Promise<void> {
    await uow.query(
      'UPDATE directories SET deleted_at = $2, version = version + 1 WHERE id = $1 AND deleted_at IS NULL',
      [id, at],
    );
  }

  /** The last step of a purge: the row itself, once nothing refers to it. */
  async remove(uow: UnitOfWork, id: number): Promise<void> {
    await uow.query('DELETE FROM directories WHERE id = $1 AND deleted_at IS NOT NULL', [id]);
  }
}
