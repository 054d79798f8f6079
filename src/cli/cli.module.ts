import { Module, type DynamicModule } from '@nestjs/common';
import { TokensModule } from '../auth/tokens.module.js';
import { ScimCoreModule } from '../common/scim-core.module.js';
import type { LoadedConfiguration } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { DirectoriesCoreModule } from '../directories/directories-core.module.js';

/** What the CLI needs: configuration, the database (migrated on start), tokens and directories (no purges). */
@Module({})
export class CliModule {
  static register(loaded: LoadedConfiguration): DynamicModule {
    return {
      module: CliModule,
      imports: [
        loaded.module,
        DatabaseModule.register(),
        ScimCoreModule.register(),
        TokensModule,
        DirectoriesCoreModule,
      ],
    };
  }
}
