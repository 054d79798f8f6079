import { Controller, Delete, Get, Param, Patch, Post, Put, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { DiscoveryService } from './discovery.service.js';

const DISCOVERY_PATHS = ['ServiceProviderConfig', 'ResourceTypes', 'ResourceTypes/:id', 'Schemas', 'Schemas/:id'];

function readOnly(req: FastifyRequest): never {
  throw ScimException.methodNotAllowed(req.method, req.url.split('?')[0] ?? '', ['GET']);
}

/**
 * RFC 7644 §4 discovery endpoints. Query parameters (filter, sort, paging) are
 * ignored here as §4 requires; every method but GET is 405.
 */
@Controller()
export class DiscoveryController {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly urls: ScimUrlService,
  ) {}

  /** RFC 7643 §5: authenticationSchemes should be readable before authenticating. */
  @Public()
  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Req() req: FastifyRequest): Record<string, unknown> {
    return this.discovery.serviceProviderConfig(this.urls.context(req));
  }

  @Get('ResourceTypes')
  resourceTypes(@Req() req: FastifyRequest): Promise<ListResponse> {
    return this.discovery.resourceTypes(this.urls.context(req));
  }

  @Get('ResourceTypes/:id')
  resourceType(@Param('id') id: string, @Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    return this.discovery.resourceType(id, this.urls.context(req));
  }

  @Get('Schemas')
  schemas(@Req() req: FastifyRequest): Promise<ListResponse> {
    return this.discovery.schemas(this.urls.context(req));
  }

  @Get('Schemas/:id')
  schema(@Param('id') id: string, @Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    return this.discovery.schema(id, this.urls.context(req));
  }

  @Public()
  @Post(DISCOVERY_PATHS)
  post(@Req() req: FastifyRequest): never {
    return readOnly(req);
  }

  @Public()
  @Put(DISCOVERY_PATHS)
  put(@Req() req: FastifyRequest): never {
    return readOnly(req);
  }

  @Public()
  @Patch(DISCOVERY_PATHS)
  patch(@Req() req: FastifyRequest): never {
    return readOnly(req);
  }

  @Public()
  @Delete(DISCOVERY_PATHS)
  delete(@Req() req: FastifyRequest): never {
    return readOnly(req);
  }
}
