import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { SearchRequestDto } from '../common/list/search-request.dto.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { RootSearchService } from './root-search.service.js';

@Controller()
export class RootSearchController {
  constructor(
    private readonly search: RootSearchService,
    private readonly urls: ScimUrlService,
  ) {}

  @Post('.search')
  @HttpCode(200)
  run(@Body() body: SearchRequestDto, @Req() req: FastifyRequest): Promise<ListResponse> {
    return this.search.search(body, this.urls.context(req));
  }
}
