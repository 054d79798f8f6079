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
var TransactionService_1;
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { toDriverQuery } from './sql-reader.js';
const RETRYABLE_PG_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
function isRetryable(error) {
    const code = error?.driverError?.code
        ?? error?.code;
    return typeof code === 'string' && RETRYABLE_PG_CODES.has(code);
}
/**
 * Runs one unit of work in one transaction. SQLite allows one writer and TypeORM's
 * better-sqlite3 driver shares one connection, so write transactions are queued
 * in-process (one server process per SQLite file). PostgreSQL transactions run
 * concurrently and are retried on serialization failure or deadlock.
 */
let TransactionService = TransactionService_1 = class TransactionService {
    dataSource;
    config;
    logger = new Logger(TransactionService_1.name);
    tail = Promise.resolve();
    constructor(dataSource, config) {
        this.dataSource = dataSource;
        this.config = config;
    }
    run(work) {
        return this.config.database.type === 'sqlite' ? this.serialised(work) : this.withRetry(work);
    }
    serialised(work) {
        const result = this.tail.then(() => this.dataSource.transaction(work));
        this.tail = result.catch(() => undefined);
        return result;
    }
    async withRetry(work) {
        for (let attempt = 1;; attempt++) {
            try {
                return await this.dataSource.transaction(work);
            }
            catch (error) {
                if (!isRetryable(error))
                    throw error;
                if (attempt >= MAX_ATTEMPTS) {
                    this.logger.warn(`transaction gave up after ${attempt} conflicting attempts`);
                    throw ScimException.serviceUnavailable('The resource is busy; retry the request');
                }
                await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
            }
        }
    }
};
TransactionService = TransactionService_1 = __decorate([
    Injectable(),
    __param(0, InjectDataSource()),
    __param(1, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [Function, Object])
], TransactionService);
export { TransactionService };
/** True when a write failed on a UNIQUE index (SQLite or PostgreSQL). */
export function isUniqueViolation(error) {
    const driver = error?.driverError;
    const code = driver?.code ?? error?.code;
    return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
/** Runs one statement ($n placeholders) inside a transaction; rows for SELECT, [] otherwise. */
export async function txQuery(tx, dialect, sql, params) {
    const [text, bound] = toDriverQuery(dialect, sql, params);
    const result = await tx.query(text, bound);
    return Array.isArray(result) && (result.length === 0 || !Array.isArray(result[0])) ? result : [];
}
//# sourceMappingURL=transaction.service.js.map