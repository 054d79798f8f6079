import type { TestApp } from './test-app.js';

export const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';

/** The issue's example extension: costCenter (string), badge (integer, unique), projects (multi-valued complex). */
export function acmeDefinition(extra: Record<string, unknown> = {}, more: unknown[] = []): Record<string, unknown> {
  return {
    id: ACME,
    name: 'AcmeUser',
    description: 'Acme employee data',
    resourceType: 'User',
    required: false,
    attributes: [
      { name: 'costCenter', type: 'string' },
      { name: 'badge', type: 'integer', uniqueness: 'server' },
      {
        name: 'projects',
        type: 'complex',
        multiValued: true,
        subAttributes: [
          { name: 'value', type: 'string', caseExact: true },
          { name: 'role', type: 'string' },
        ],
      },
      ...more,
    ],
    ...extra,
  };
}

export function schemasPath(directoryId: number, urn?: string): string {
  return `/admin/directories/${directoryId}/schemas${urn ? `/${encodeURIComponent(urn)}` : ''}`;
}

/** A second directory, inserted with SQL (the directories admin API is another part's). */
export async function insertDirectory(t: TestApp, id: number, slug: string): Promise<void> {
  const now = new Date().toISOString();
  await t.db.query(`DELETE FROM directories WHERE id = ${id}`);
  await t.db.query(
    `INSERT INTO directories (id, slug, display_name, settings, disabled, created, last_modified, version)
     VALUES (${id}, '${slug}', '${slug}', '{}', ${t.dialect === 'postgres' ? 'false' : '0'}, '${now}', '${now}', 1)`,
  );
}
