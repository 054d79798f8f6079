import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_CONFIG, loadAppConfig, type AppConfig } from './app-config.js';

export interface LoadedConfiguration {
  readonly config: AppConfig;
  readonly module: DynamicModule;
}

/**
 * Reads the environment (real variables win over a .env file) through
 * @nestjs/config and validates it once into the frozen AppConfig. Done before the
 * application is created, because the HTTP adapter needs the port, body limit and
 * TLS settings up front. `overrides` lets tests and the CLI pin values.
 */
@Module({})
export class AppConfigModule {
  static async load(overrides: Record<string, string | undefined> = {}): Promise<LoadedConfiguration> {
    let config: AppConfig | undefined;
    const configModule = await ConfigModule.forRoot({
      envFilePath: ['.env'],
      cache: true,
      validate: (env: Record<string, unknown>) => {
        config = loadAppConfig({ ...(env as Record<string, string | undefined>), ...overrides });
        return env;
      },
    });
    if (!config) throw new Error('configuration was not validated');
    const module: DynamicModule = {
      module: AppConfigModule,
      global: true,
      imports: [configModule],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
    return { config, module };
  }
}
