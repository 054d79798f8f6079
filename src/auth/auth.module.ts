import { Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AdminTokenOperations } from './admin-token-operations.js';
import { AdminTokensController } from './admin-tokens.controller.js';
import { BasicStrategy } from './basic.strategy.js';
import { BearerStrategy } from './bearer.strategy.js';
import { createScimAuthGuard } from './scim-auth.guard.js';
import { TokenBootstrapService } from './token-bootstrap.service.js';
import { TokensModule } from './tokens.module.js';
import { TokensService } from './tokens.service.js';

@Module({
  imports: [PassportModule.register({ session: false }), TokensModule],
  controllers: [AdminTokensController],
  providers: [
    BearerStrategy,
    // A passport strategy registers itself when constructed: Basic exists only when enabled.
    {
      provide: BasicStrategy,
      inject: [TokensService, APP_CONFIG],
      useFactory: (tokens: TokensService, config: AppConfig): BasicStrategy | null =>
        config.authBasicEnabled ? new BasicStrategy(tokens) : null,
    },
    TokenBootstrapService,
    AdminTokenOperations,
    { provide: APP_GUARD, inject: [Reflector, APP_CONFIG], useFactory: createScimAuthGuard },
  ],
  exports: [TokensModule, AdminTokenOperations],
})
export class AuthModule {}
