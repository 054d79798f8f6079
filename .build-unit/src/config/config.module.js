var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var AppConfigModule_1;
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_CONFIG, loadAppConfig } from './app-config.js';
/**
 * Reads the environment (real variables win over a .env file) through
 * @nestjs/config and validates it once into the frozen AppConfig. Done before the
 * application is created, because the HTTP adapter needs the port, body limit and
 * TLS settings up front. `overrides` lets tests and the CLI pin values.
 */
let AppConfigModule = AppConfigModule_1 = class AppConfigModule {
    static async load(overrides = {}) {
        let config;
        const configModule = await ConfigModule.forRoot({
            envFilePath: ['.env'],
            cache: true,
            validate: (env) => {
                config = loadAppConfig({ ...env, ...overrides });
                return env;
            },
        });
        if (!config)
            throw new Error('configuration was not validated');
        const module = {
            module: AppConfigModule_1,
            global: true,
            imports: [configModule],
            providers: [{ provide: APP_CONFIG, useValue: config }],
            exports: [APP_CONFIG],
        };
        return { config, module };
    }
};
AppConfigModule = AppConfigModule_1 = __decorate([
    Module({})
], AppConfigModule);
export { AppConfigModule };
//# sourceMappingURL=config.module.js.map