import { Inject, Injectable } from '@nestjs/common';
import type { ListParams } from '../common/list/list-planner.service.js';
import { resolvePage } from '../common/list/paging.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type ScimContext } from '../common/http/scim-context.js';
import { ResourceServices } from '../common/http/resource-services.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { FilterNode } from '../scim/filter/filter.ast.js';
import { parseFilter } from '../scim/filter/filter.parser.js';
import { validateFilter } from '../scim/filter/validate-filter.js';
import { listResponse, type ListResponse } from '../scim/resource/list-response.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import type { ResourceTypeName, SchemaRegistry } from '../scim/schema/schema-registry.js';

/**
 * POST /.search at the service root (RFC 7644 §3.4.3): one query over every registered
 * resource type with a service, in registration order. A filter naming an attribute one
 * type lacks simply matches nothing of that type (§3.4.2.1: such attributes behave as
 * unassigned); a filter valid for none is a 400. Index paging only: sorting and cursors
 * need one order across types.
 */
@Injectable()
export class RootSearchService {
  constructor(
    private readonly services: ResourceServices,
    private readonly catalog: SchemaCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async search(params: ListParams, ctx: ScimContext): Promise<ListResponse> {
    if (params.cursor !== undefined)
      throw ScimException.invalidValue(
        "Cursor paging is offered on each resource endpoint's /.search, not across resource types",
      );
    if (params.sortBy !== undefined) throw ScimException.invalidValue('sortBy is not supported across resource types');
    const types = this.typesFor(this.catalog.forDirectory(ctx.directory), params.filter);
    const page = resolvePage(params.startIndex, params.count, this.config);
    let skip = page.startIndex - 1;
    let room = page.count;
    let total = 0;
    const resources: Record<string, unknown>[] = [];
    for (const type of types) {
      const part = await this.services.get(type).list({ ...params, startIndex: skip + 1, count: room }, ctx);
      const found = part.totalResults ?? 0;
      total += found;
      resources.push(...part.Resources);
      room -= part.Resources.length;
      skip = Math.max(0, skip - found);
    }
    return listResponse(resources, { totalResults: total, startIndex: page.startIndex });
  }

  /** The searchable types (registered, with a service) the filter is valid for. */
  private typesFor(registry: SchemaRegistry, filter: string | undefined): ResourceTypeName[] {
    const searchable = registry
      .listResourceTypes()
      .map((t) => t.name)
      .filter((name) => this.services.implements(name));
    if (filter === undefined) return searchable;
    const ast = parseFilter(filter);
    const errors: ScimException[] = [];
    const types = searchable.filter((type) => validFor(registry, type, ast, errors));
    if (types.length === 0) throw errors[0] ?? ScimException.invalidFilter('Invalid filter');
    return types;
  }
}

function validFor(registry: SchemaRegistry, type: ResourceTypeName, ast: FilterNode, errors: ScimException[]): boolean {
  try {
    validateFilter(ast, registry, type);
    return true;
  } catch (error) {
    if (!(error instanceof ScimException)) throw error;
    errors.push(error);
    return false;
  }
}
