import { Inject, Injectable } from '@nestjs/common';
import type { ListParams } from '../common/list/list-planner.service.js';
import { resolvePage } from '../common/list/paging.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ScimContext } from '../common/http/scim-context.js';
import { GroupsService } from '../groups/groups.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { parseFilter } from '../scim/filter/filter.parser.js';
import { validateFilter } from '../scim/filter/validate-filter.js';
import { listResponse, type ListResponse } from '../scim/resource/list-response.js';
import { SchemaRegistry, type ResourceTypeName } from '../scim/schema/schema-registry.js';
import { UsersService } from '../users/users.service.js';

/**
 * POST /.search at the service root (RFC 7644 §3.4.3): one query over Users, then
 * Groups. A filter naming an attribute one type lacks simply matches nothing of
 * that type (§3.4.2.1: such attributes behave as unassigned); a filter valid for
 * neither is a 400. Index paging only: sorting and cursors need one order across types.
 */
@Injectable()
export class RootSearchService {
  constructor(
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly registry: SchemaRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async search(params: ListParams, ctx: ScimContext): Promise<ListResponse> {
    if (params.cursor !== undefined) throw ScimException.invalidValue('Cursor paging is offered on /Users/.search and /Groups/.search, not across resource types');
    if (params.sortBy !== undefined) throw ScimException.invalidValue('sortBy is not supported across resource types');
    const types = this.typesFor(params.filter);
    const page = resolvePage(params.startIndex, params.count, this.config);
    let skip = page.startIndex - 1;
    let room = page.count;
    let total = 0;
    const resources: Record<string, unknown>[] = [];
    for (const type of types) {
      const service = type === 'User' ? this.users : this.groups;
      const part = await service.list({ ...params, startIndex: skip + 1, count: room }, ctx);
      const found = part.totalResults ?? 0;
      total += found;
      resources.push(...part.Resources);
      room -= part.Resources.length;
      skip = Math.max(0, skip - found);
    }
    return listResponse(resources, { totalResults: total, startIndex: page.startIndex });
  }

  private typesFor(filter: string | undefined): ResourceTypeName[] {
    if (filter === undefined) return ['User', 'Group'];
    const ast = parseFilter(filter);
    const errors: ScimException[] = [];
    const types = (['User', 'Group'] as const).filter((type) => {
      try {
        validateFilter(ast, this.registry, type);
        return true;
      } catch (error) {
        if (!(error instanceof ScimException)) throw error;
        errors.push(error);
        return false;
      }
    });
    if (types.length === 0) throw errors[0] ?? ScimException.invalidFilter('Invalid filter');
    return types;
  }
}
