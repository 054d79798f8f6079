import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../auth/token-secret.js';
import { TokensService } from '../auth/tokens.service.js';
import { systemContext } from '../common/http/scim-context.js';
import { ConfigError } from '../config/app-config.js';
import { AppConfigModule } from '../config/config.module.js';
import { CliModule } from './cli.module.js';

const USAGE = `Usage: npm run cli -- <command>

  token create --name <name> --scope <scim|admin> [--scope ...] [--expires-in-days <n>]
  token list
  token revoke <id>
  token rotate <id> [--grace-seconds <n>]

Works directly on the configured database (DATABASE_URL or SQLITE_PATH), with migrations applied.
Output is JSON; a created or rotated token's secret is printed once.`;

class UsageError extends Error {}

// The CLI changes data as the server itself, not as any token.
const CLI = systemContext('cli');

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(value);
}

async function run(tokens: TokensService, argv: string[]): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      'expires-in-days': { type: 'string' },
      'grace-seconds': { type: 'string' },
    },
  });
  const [group, command, id] = positionals;
  if (group !== 'token') throw new UsageError(USAGE);
  switch (command) {
    case 'create': {
      const scopes = (values.scope ?? []).flatMap((s) => s.split(','));
      if (!values.name || scopes.length === 0 || !scopes.every((s) => (SCOPES as string[]).includes(s))) {
        throw new UsageError('token create needs --name and at least one --scope scim|admin');
      }
      const days = positiveInt(values['expires-in-days'], 'expires-in-days');
      const expiresAt = days ? new Date(Date.now() + days * 86_400_000) : undefined;
      return tokens.issue({ name: values.name, scopes: scopes as Scope[], ...(expiresAt ? { expiresAt } : {}) }, CLI);
    }
    case 'list':
      return tokens.list();
    case 'revoke':
      if (!id) throw new UsageError('token revoke needs an id');
      return tokens.revoke(id, CLI);
    case 'rotate':
      if (!id) throw new UsageError('token rotate needs an id');
      return tokens.rotate(id, positiveInt(values['grace-seconds'], 'grace-seconds') ?? 0, CLI);
    default:
      throw new UsageError(USAGE);
  }
}

async function main(): Promise<void> {
  const loaded = await AppConfigModule.load({ LOG_LEVEL: 'warn' });
  const context = await NestFactory.createApplicationContext(CliModule.register(loaded), { logger: ['error', 'warn'] });
  try {
    const result = await run(context.get(TokensService), process.argv.slice(2));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await context.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  process.stderr.write(
    `${known ? error.message : `Error: ${error instanceof Error ? error.message : String(error)}`}\n`,
  );
  process.exit(known ? 2 : 1);
});
