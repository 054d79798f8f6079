import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from './config/app-config.js';
import { AppConfigModule } from './config/config.module.js';
import { createApp } from './create-app.js';

/** Starts the server; on SIGTERM/SIGINT it stops accepting, drains requests in flight and closes the database. */
async function main(): Promise<void> {
  const loaded = await AppConfigModule.load();
  const { config } = loaded;
  const app = await createApp(loaded);
  const logger = new Logger('Main');
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: draining requests`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    // Connections that finish their last request while we drain are closed as soon as
    // they go idle, instead of lingering for the keep-alive timeout.
    const server = app.getHttpServer();
    setInterval(() => server.closeIdleConnections(), 50).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  const scheme = config.tls ? 'https' : 'http';
  logger.log(
    `SCIM server on ${scheme}://${config.host}:${config.port}${config.scimBasePath} (${config.database.type})`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
