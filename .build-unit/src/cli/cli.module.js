var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var CliModule_1;
import { Module } from '@nestjs/common';
import { TokensModule } from '../auth/tokens.module.js';
import { DatabaseModule } from '../database/database.module.js';
/** What the CLI needs: configuration, the database (migrated on start) and token management. */
let CliModule = CliModule_1 = class CliModule {
    static register(loaded) {
        return { module: CliModule_1, imports: [loaded.module, DatabaseModule, TokensModule] };
    }
};
CliModule = CliModule_1 = __decorate([
    Module({})
], CliModule);
export { CliModule };
//# sourceMappingURL=cli.module.js.map