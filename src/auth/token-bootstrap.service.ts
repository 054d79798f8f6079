import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { systemContext } from '../common/http/scim-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TokensService } from './tokens.service.js';

const FIRST_ADMIN_TOKEN_KEY = 'first_admin_token_issued';
const BOOTSTRAP = systemContext('bootstrap');

/**
 * Makes a fresh server reachable: SCIM_BOOTSTRAP_TOKEN (for containers) is
 * ensured idempotently; otherwise an empty token table gets one admin token,
 * printed once. A revoked bootstrap token stays revoked.
 */
@Injectable()
export class TokenBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('TokenBootstrap');

  constructor(
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.bootstrapToken) {
      await this.ensureBootstrapToken(this.config.bootstrapToken);
      return;
    }
    await this.issueFirstAdminToken();
  }

  private async ensureBootstrapToken(secret: string): Promise<void> {
    const outcome = await this.tokens.ensure(
      { name: 'bootstrap', scopes: ['scim', 'admin'], serverWide: true },
      secret,
      BOOTSTRAP,
    );
    if (outcome === 'revoked') {
      this.logger.warn(
        'SCIM_BOOTSTRAP_TOKEN matches a revoked token; it stays revoked. Set a new secret to bootstrap again.',
      );
    } else if (outcome === 'created') {
      this.logger.log('bootstrap token from SCIM_BOOTSTRAP_TOKEN created (scopes: scim, admin)');
    }
  }

  private async issueFirstAdminToken(): Promise<void> {
    // The claim row makes this happen once, even with several instances starting together.
    const issued = await this.tokens.issueFirst(
      FIRST_ADMIN_TOKEN_KEY,
      { name: 'initial-admin', scopes: ['admin'], serverWide: true },
      BOOTSTRAP,
    );
    if (!issued) return;
    const { secret } = issued;
    process.stdout.write(
      `\nFirst start: an admin token was issued. Copy it now; it is not shown again:\n\n  ${secret}\n\n` +
        'Use it to issue a SCIM token for your IdP:\n' +
        `  curl -X POST http://localhost:${this.config.port}/admin/tokens -H "Authorization: Bearer <admin token>" ` +
        `-H "Content-Type: application/json" -d '{"name":"okta","scopes":["scim"]}'\n\n`,
    );
  }
}
