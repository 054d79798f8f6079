import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { BULK_ROUTE_CONFIG } from './bulk-body-limit.js';
import { BulkService } from './bulk.service.js';

/** POST {base}/Bulk (RFC 7644 §3.7): 200 with a BulkResponse even when operations failed. */
@Controller('Bulk')
export class BulkController {
  constructor(
    private readonly bulk: BulkService,
    private readonly urls: ScimUrlService,
  ) {}

  /** Its own body limit, maxPayloadSize (see bulkBodyLimit), checked while the body streams in. */
  @Post()
  @HttpCode(200)
  @RouteConfig({ [BULK_ROUTE_CONFIG]: true })
  run(@Body() body: unknown, @Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    return this.bulk.process(body, this.urls.context(req));
  }

  /** /Bulk takes POST only (RFC 7644 §3.7); one handler per method (Nest keeps one method per handler). */
  @Get()
  get(@Req() req: FastifyRequest): never {
    return postOnly(req);
  }

  @Put()
  put(@Req() req: FastifyRequest): never {
    return postOnly(req);
  }

  @Patch()
  patch(@Req() req: FastifyRequest): never {
    return postOnly(req);
  }

  @Delete()
  delete(@Req() req: FastifyRequest): never {
    return postOnly(req);
  }
}

function postOnly(req: FastifyRequest): never {
  throw ScimException.methodNotAllowed(req.method, req.url, ['POST']);
}
