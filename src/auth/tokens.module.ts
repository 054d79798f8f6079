import { Module } from '@nestjs/common';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';

/** Token storage and verification, shared by the HTTP auth layer and the CLI. */
@Module({
  providers: [TokensRepository, TokensService],
  exports: [TokensService],
})
export class TokensModule {}
