import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { getDataSourceToken, InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CursorKeyRepository } from './cursor-key.repository.js';
import { buildDataSourceOptions, type MigrationClass } from './data-source.js';
import { runMigrations } from './migration.runner.js';
import { createSqlReader, SQL_READER, type SqlReader } from './sql-reader.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { SQL_DIALECT_PROVIDER } from './dialect/dialect.provider.js';
import { SQL_DIALECT } from './dialect/sql-dialect.js';
import { TransactionService } from './transaction.service.js';
import { UnitOfWorkService } from './unit-of-work.service.js';

@Global()
@Module({
  providers: [
    SQL_DIALECT_PROVIDER,
    TransactionService,
    UnitOfWorkService,
    CursorKeyRepository,
    // Users and Groups both read and change memberships through this one repository.
    MembershipRepository,
    {
      provide: SQL_READER,
      inject: [APP_CONFIG, getDataSourceToken()],
      useFactory: (config: AppConfig, dataSource: DataSource): SqlReader =>
        createSqlReader(dataSource, config.database.type === 'sqlite' ? config.database.path : undefined, config),
    },
  ],
  exports: [SQL_DIALECT, TransactionService, UnitOfWorkService, CursorKeyRepository, MembershipRepository, SQL_READER],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SQL_READER) private readonly reader: SqlReader,
  ) {}

  /** The database with the built-in migrations and `extraMigrations` after them (a registered type's tables). */
  static register(extraMigrations: readonly MigrationClass[] = []): DynamicModule {
    const typeOrm = TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...buildDataSourceOptions(config, extraMigrations), retryAttempts: 0 }),
    });
    return { module: DatabaseModule, imports: [typeOrm] };
  }

  /** Migrations run before any other module's start-up work touches the tables. */
  async onModuleInit(): Promise<void> {
    if (this.config.migrationsRun) await runMigrations(this.dataSource);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reader.close();
  }
}
