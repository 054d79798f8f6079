import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AdminTokensController } from './admin-tokens.controller.js';
import { BasicStrategy } from './basic.strategy.js';
import { BearerStrategy } from './bearer.strategy.js';
import { ScimAuthGuard } from './scim-auth.guard.js';
import { TokenBootstrapService } from './token-bootstrap.service.js';
import { TokensModule } from './tokens.module.js';

@Module({
  imports: [PassportModule.register({ session: false }), TokensModule],
  controllers: [AdminTokensController],
  providers: [
    BearerStrategy,
    BasicStrategy,
    TokenBootstrapService,
    { provide: APP_GUARD, useClass: ScimAuthGuard },
  ],
  exports: [TokensModule],
})
export class AuthModule {}
