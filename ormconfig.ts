import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadAppConfig } from './src/config/app-config.js';
import { buildDataSourceOptions } from './src/database/data-source.js';

/**
 * The DataSource for the TypeORM CLI (migration:show, migration:run, migration:revert),
 * built from the same definition and environment as the server.
 */
export default new DataSource(buildDataSourceOptions(loadAppConfig(process.env)));
