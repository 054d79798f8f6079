var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Global, Inject, Module } from '@nestjs/common';
import { getDataSourceToken, InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source.js';
import { runMigrations } from './migration.runner.js';
import { createSqlReader, SQL_READER } from './sql-reader.js';
import { TransactionService } from './transaction.service.js';
let DatabaseModule = class DatabaseModule {
    dataSource;
    config;
    reader;
    constructor(dataSource, config, reader) {
        this.dataSource = dataSource;
        this.config = config;
        this.reader = reader;
    }
    /** Migrations run before any other module's start-up work touches the tables. */
    async onModuleInit() {
        if (this.config.migrationsRun)
            await runMigrations(this.dataSource);
    }
    async onApplicationShutdown() {
        await this.reader.close();
    }
};
DatabaseModule = __decorate([
    Global(),
    Module({
        imports: [
            TypeOrmModule.forRootAsync({
                inject: [APP_CONFIG],
                useFactory: (config) => ({ ...buildDataSourceOptions(config), retryAttempts: 0 }),
            }),
        ],
        providers: [
            TransactionService,
            {
                provide: SQL_READER,
                inject: [APP_CONFIG, getDataSourceToken()],
                useFactory: (config, dataSource) => createSqlReader(dataSource, config.database.type === 'sqlite' ? config.database.path : undefined),
            },
        ],
        exports: [TransactionService, SQL_READER],
    }),
    __param(0, InjectDataSource()),
    __param(1, Inject(APP_CONFIG)),
    __param(2, Inject(SQL_READER)),
    __metadata("design:paramtypes", [Function, Object, Object])
], DatabaseModule);
export { DatabaseModule };
//# sourceMappingURL=database.module.js.map