import { Inject, Injectable } from '@nestjs/common';
import { ListPlanner } from '../common/list/list-planner.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import { SQL_READER, type SqlReader } from '../database/sql-reader.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import type { ResourceTypeDefinition } from '../scim/schema/resource-type.definition.js';
import { ExtensionValuesRepository } from '../extensions/extension-values.repository.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import type { RepositoryParts } from './resource-type.parts.js';
import { ResourceRepository } from './resource.repository.js';
import { ResourceService, type ResourceServiceDeps } from './resource.service.js';

/**
 * Builds the generic service and repository of a resource type from its definition
 * alone: a registered type needs no provider, service or repository class of its own.
 */
@Injectable()
export class ResourceServiceFactory {
  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly units: UnitOfWorkService,
    private readonly catalog: SchemaCatalog,
    private readonly lists: ListPlanner,
  ) {
    this.extensionValues = new ExtensionValuesRepository(config.limits);
  }

  private readonly extensionValues: ExtensionValuesRepository;

  repository(definition: ResourceTypeDefinition, parts?: RepositoryParts): ResourceRepository {
    return new ResourceRepository(
      definition,
      { reader: this.reader, dialect: this.dialect, maxFilterCost: this.config.filterMaxCost },
      parts,
    );
  }

  /** What every resource service needs besides its repository and parts. */
  serviceDeps(): ResourceServiceDeps {
    return {
      units: this.units,
      catalog: this.catalog,
      lists: this.lists,
      config: this.config,
      extensionValues: this.extensionValues,
    };
  }

  service(definition: ResourceTypeDefinition): ResourceService {
    return new ResourceService(this.repository(definition), this.serviceDeps());
  }
}
