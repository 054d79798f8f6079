import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { TokensService } from '../auth/tokens.service.js';
import { APP_CONFIG, ConfigError, type AppConfig } from '../config/app-config.js';
import { AppConfigModule } from '../config/config.module.js';
import { DirectoriesService } from '../directories/directories.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { runCommand, UsageError } from './cli-commands.js';
import { CliModule } from './cli.module.js';

async function main(): Promise<void> {
  const loaded = await AppConfigModule.load({ LOG_LEVEL: 'warn' });
  const context = await NestFactory.createApplicationContext(CliModule.register(loaded), { logger: ['error', 'warn'] });
  try {
    const result = await runCommand(
      {
        tokens: context.get(TokensService),
        directories: context.get(DirectoriesService),
        config: context.get<AppConfig>(APP_CONFIG),
      },
      process.argv.slice(2),
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await context.close();
  }
}

function message(error: unknown): string {
  if (error instanceof ScimException) return `Error: ${error.detail}`;
  return `Error: ${error instanceof Error ? error.message : String(error)}`;
}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  process.stderr.write(`${known ? error.message : message(error)}\n`);
  process.exit(known ? 2 : 1);
});
