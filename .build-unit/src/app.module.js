var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var AppModule_1;
import { Module } from '@nestjs/common';
import { APP_PIPE, RouterModule } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { createScimValidationPipe } from './common/http/scim-validation.pipe.js';
import { ScimCoreModule } from './common/scim-core.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { GroupsModule } from './groups/groups.module.js';
import { HealthModule } from './health/health.module.js';
import { UsersModule } from './users/users.module.js';
/**
 * Composes the modules. The SCIM modules are mounted under the configured base
 * path (default /scim/v2); the admin API and /health sit outside it.
 */
let AppModule = AppModule_1 = class AppModule {
    static register(loaded) {
        const scimModules = [UsersModule, GroupsModule, DiscoveryModule];
        const scimBasePath = loaded.config.scimBasePath;
        return {
            module: AppModule_1,
            imports: [
                loaded.module,
                DatabaseModule,
                ScimCoreModule,
                AuthModule,
                HealthModule,
                ...scimModules,
                RouterModule.register([{ path: scimBasePath.replace(/^\//, ''), children: scimModules }]),
            ],
            providers: [{ provide: APP_PIPE, useFactory: createScimValidationPipe }],
        };
    }
};
AppModule = AppModule_1 = __decorate([
    Module({})
], AppModule);
export { AppModule };
//# sourceMappingURL=app.module.js.map