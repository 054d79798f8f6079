import { readFileSync } from 'node:fs';
import { DEFAULT_DIRECTORY, systemContext } from '../common/http/scim-context.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { EXTENSION_LIMITS, type ExtensionDefinition } from '../scim/schema/extension-definition.js';
import type { ExtensionsService } from './extensions.service.js';

/** A file larger than this is refused before it is parsed (20 schemas of 100 attributes fit well within it). */
const MAX_FILE_BYTES = 1024 * 1024;

/** The definitions of an extensions file: an array of them, or `{ "schemas": [...] }`. */
function definitionsOf(text: string): unknown[] {
  const parsed = JSON.parse(text) as unknown;
  const list =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)['schemas']
      : parsed;
  if (!Array.isArray(list)) throw new Error('the file must hold an array of schema definitions or {"schemas": [...]}');
  if (list.length > EXTENSION_LIMITS.schemasPerDirectory) {
    throw new Error(`at most ${EXTENSION_LIMITS.schemasPerDirectory} schemas`);
  }
  return list;
}

function sameDefinition(a: ExtensionDefinition, b: ExtensionDefinition): boolean {
  const key = (e: ExtensionDefinition): string => JSON.stringify([e.schema, e.resourceType, e.required]);
  return key(a) === key(b);
}

/**
 * Registers the file's extension schemas in the default directory at start: a new one is
 * registered, a changed one replaced under the same change rules as the admin API (no
 * removal of attributes holding values), an identical one left alone. Any problem fails
 * start-up with a message naming the file and the schema.
 */
export async function loadExtensionsFile(path: string, extensions: ExtensionsService): Promise<void> {
  const fail = (detail: string): Error => new Error(`SCIM_EXTENSIONS_FILE ${path}: ${detail}`);
  let definitions: unknown[];
  try {
    const text = readFileSync(path, 'utf8');
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
    definitions = definitionsOf(text);
  } catch (error) {
    throw fail((error as Error).message);
  }
  const ctx = systemContext('extensions-file');
  for (const [i, body] of definitions.entries()) {
    try {
      const parsed = extensions.parse(body);
      const current = (await extensions.list(DEFAULT_DIRECTORY)).find(
        (e) => e.schema.id.toLowerCase() === parsed.schema.id.toLowerCase(),
      );
      if (!current) await extensions.register(DEFAULT_DIRECTORY, body, ctx);
      else if (!sameDefinition(current, parsed)) {
        await extensions.replace(DEFAULT_DIRECTORY, parsed.schema.id, body, false, ctx);
      }
    } catch (error) {
      const detail = error instanceof ScimException ? error.detail : (error as Error).message;
      throw fail(`schema ${i}: ${detail}`);
    }
  }
}
