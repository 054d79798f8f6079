import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../auth/token-secret.js';
import type { TokensService } from '../auth/tokens.service.js';
import { DEFAULT_DIRECTORY, systemContext } from '../common/http/scim-context.js';
import type { AppConfig } from '../config/app-config.js';
import type { DirectoriesService } from '../directories/directories.service.js';
import { toDirectoryView } from '../directories/directory.mapper.js';
import { MAX_RATE_LIMIT_PER_MINUTE } from '../rate-limit/rate-limit.constants.js';

export const USAGE = `Usage: npm run cli -- <command>

  token create --name <name> --scope <scim|admin> [--scope ...] [--expires-in-days <n>] [--directory <slug>]
               [--rate-limit-per-minute <n>] [--user-id <id>]
  token list [--directory <slug>]
  token revoke <id> [--directory <slug>]
  token rotate <id> [--grace-seconds <n>] [--directory <slug>]
  directory create <slug> [--display-name <name>]
  directory list
  directory disable <slug>
  directory enable <slug>

Token commands work on the default directory unless --directory names another. An admin
token created without --directory is server-wide (it manages every directory); with
--directory it manages only that one. --rate-limit-per-minute sets the token's own budget
(0: none; default RATE_LIMIT_PER_MINUTE); --user-id binds a scim token to a user of its
directory, which it then serves through /Me only.
Works directly on the configured database (DATABASE_URL or SQLITE_PATH), with migrations applied.
Output is JSON; a created or rotated token's secret is printed once.`;

export class UsageError extends Error {}

// The CLI changes data as the server itself, not as any token.
const CLI = systemContext('cli');

export interface CliServices {
  readonly tokens: TokensService;
  readonly directories: DirectoriesService;
  readonly config: AppConfig;
}

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      'expires-in-days': { type: 'string' },
      'grace-seconds': { type: 'string' },
      directory: { type: 'string' },
      'display-name': { type: 'string' },
      'rate-limit-per-minute': { type: 'string' },
      'user-id': { type: 'string' },
    },
  });
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(value);
}

async function directoryId(services: CliServices, slug: string | undefined): Promise<number> {
  if (slug === undefined || slug === DEFAULT_DIRECTORY.slug) return DEFAULT_DIRECTORY.id;
  const found = await services.directories.findBySlug(slug);
  if (!found) throw new UsageError(`No directory with slug '${slug}'`);
  return found.id;
}

async function createToken(services: CliServices, values: Values): Promise<unknown> {
  const scopes = (values.scope ?? []).flatMap((s) => s.split(','));
  if (!values.name || scopes.length === 0 || !scopes.every((s) => (SCOPES as string[]).includes(s))) {
    throw new UsageError('token create needs --name and at least one --scope scim|admin');
  }
  const days = positiveInt(values['expires-in-days'], 'expires-in-days');
  const expiresAt = days ? new Date(Date.now() + days * 86_400_000) : undefined;
  return services.tokens.issue(
    {
      name: values.name,
      scopes: scopes as Scope[],
      directoryId: await directoryId(services, values.directory),
      serverWide: values.directory === undefined,
      ...(expiresAt ? { expiresAt } : {}),
      ...tokenBindings(values),
    },
    CLI,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tokenBindings(values: Values): { rateLimitPerMinute?: number; userId?: string } {
  const rate = positiveInt(values['rate-limit-per-minute'], 'rate-limit-per-minute');
  if (rate !== undefined && rate > MAX_RATE_LIMIT_PER_MINUTE) {
    throw new UsageError(`--rate-limit-per-minute must be at most ${MAX_RATE_LIMIT_PER_MINUTE}`);
  }
  const userId = values['user-id'];
  if (userId !== undefined && !UUID.test(userId)) throw new UsageError('--user-id must be a user id (a UUID)');
  return { ...(rate !== undefined ? { rateLimitPerMinute: rate } : {}), ...(userId ? { userId } : {}) };
}

async function token(services: CliServices, command: string | undefined, id: string | undefined, values: Values) {
  const directory = (): Promise<number> => directoryId(services, values.directory);
  switch (command) {
    case 'create':
      return createToken(services, values);
    case 'list':
      return services.tokens.list(await directory());
    case 'revoke':
      if (!id) throw new UsageError('token revoke needs an id');
      return services.tokens.revoke(id, CLI, await directory());
    case 'rotate':
      if (!id) throw new UsageError('token rotate needs an id');
      return services.tokens.rotate(
        id,
        positiveInt(values['grace-seconds'], 'grace-seconds') ?? 0,
        CLI,
        await directory(),
      );
    default:
      throw new UsageError(USAGE);
  }
}

async function directory(services: CliServices, command: string | undefined, slug: string | undefined, values: Values) {
  const { directories, config } = services;
  if (command === 'list') return (await directories.list(0, 1000)).map((d) => toDirectoryView(d, config));
  if (!slug) throw new UsageError(`directory ${command ?? '<command>'} needs a slug\n\n${USAGE}`);
  switch (command) {
    case 'create':
      return toDirectoryView(
        await directories.create(
          { slug, ...(values['display-name'] ? { displayName: values['display-name'] } : {}) },
          CLI,
        ),
        config,
      );
    case 'disable':
    case 'enable':
      return toDirectoryView(
        await directories.setDisabled(await directoryId(services, slug), command === 'disable', CLI),
        config,
      );
    default:
      throw new UsageError(USAGE);
  }
}

/** Runs one command line; its result is printed as JSON. */
export async function runCommand(services: CliServices, argv: string[]): Promise<unknown> {
  const { values, positionals } = parse(argv);
  const [group, command, arg] = positionals;
  if (group === 'token') return token(services, command, arg, values);
  if (group === 'directory') return directory(services, command, arg, values);
  throw new UsageError(USAGE);
}
