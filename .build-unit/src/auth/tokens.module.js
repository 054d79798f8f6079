var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';
/** Token storage and verification, shared by the HTTP auth layer and the CLI. */
let TokensModule = class TokensModule {
};
TokensModule = __decorate([
    Module({
        providers: [TokensRepository, TokensService],
        exports: [TokensService],
    })
], TokensModule);
export { TokensModule };
//# sourceMappingURL=tokens.module.js.map