import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The text of test/fixtures/<folder>/<name>. Fixtures live in the source tree; the
 * specs run from a compiled copy below it, so the folder is looked for upwards.
 */
export function readFixtureText(folder: string, name: string): string {
  return readFileSync(fixturePath(folder, name), 'utf8');
}

/** The source-tree path of test/fixtures/<folder>/<name> (the folder must exist). */
export function fixturePath(folder: string, name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'test', 'fixtures', folder))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`test/fixtures/${folder} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return join(dir, 'test', 'fixtures', folder, name);
}

export function readFixture<T>(folder: string, name: string): T {
  return JSON.parse(readFixtureText(folder, name)) as T;
}
