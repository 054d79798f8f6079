import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticatedPrincipal } from '../../auth/authentication.hook.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { PatchOpDto } from '../dto/patch-op.dto.js';
import { ProjectionQueryDto } from '../list/list-query.dto.js';
import { ResourceServices } from './resource-services.js';
import type { ResourceIdDto } from './resource-id.dto.js';
import { ScimResourceController } from './scim-resource.controller.js';
import { ScimUrlService } from './scim-url.service.js';

type Json = Record<string, unknown>;

/** The Users endpoint's handlers, called with the bound user's id (never routed itself). */
class BoundUserHandlers extends ScimResourceController {
  constructor(services: ResourceServices, urls: ScimUrlService, config: AppConfig) {
    super(services.get('User'), urls, (ctx) => services.patchStatus('User', config, ctx.directory));
  }
}

/**
 * RFC 7644 §3.11 `/Me`: the authenticated subject's own resource. Only a token bound to a
 * user (api_tokens.user_id, set at issue) has a subject; `/Me` then runs the Users
 * endpoint's GET, PUT, PATCH and DELETE on that user, with their ETags, projection and PATCH
 * forms, and answers with the user's canonical `/Users/{id}` Location and meta.location
 * (§3.11: the response's location is the resource's real URI). A deleted user is 404
 * (§3.6). A token bound to no user has no subject: 501, as §3.11 says a server that does not
 * support /Me SHOULD answer. POST /Me is 501 for every token: §3.11 lets the server choose
 * the created type from the subject, and a provisioning token's subject exists already, so
 * self-registration has nothing to create.
 */
@Controller('Me')
export class MeController {
  private readonly users: BoundUserHandlers;

  constructor(
    @Inject(ResourceServices) services: ResourceServices,
    @Inject(ScimUrlService) private readonly urls: ScimUrlService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.users = new BoundUserHandlers(services, urls, config);
  }

  @Get()
  get(
    @Query() query: ProjectionQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Json | undefined> {
    const me = subject(req);
    return this.located(req, reply, me, this.users.get(me, query, ifNoneMatch, req, reply));
  }

  @Put()
  replace(
    @Body() body: unknown,
    @Query() query: ProjectionQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Json> {
    const me = subject(req);
    return this.located(req, reply, me, this.users.replace(me, body, query, ifMatch, req, reply));
  }

  @Patch()
  patch(
    @Body() body: PatchOpDto,
    @Query() query: ProjectionQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Json | undefined> {
    const me = subject(req);
    return this.located(req, reply, me, this.users.patch(me, body, query, ifMatch, req, reply));
  }

  @Delete()
  @HttpCode(204)
  delete(@Headers('if-match') ifMatch: string | undefined, @Req() req: FastifyRequest): Promise<void> {
    return this.users.delete(subject(req), ifMatch, req);
  }

  @Post()
  create(): never {
    throw ScimException.notImplemented('POST /Me is not supported: the subject of a token bound to a user exists');
  }

  /** §3.11: "in any response, the HTTP Location header MUST be the permanent location" of the subject's resource. */
  private async located<T>(
    req: FastifyRequest,
    reply: FastifyReply,
    me: ResourceIdDto,
    answer: Promise<T>,
  ): Promise<T> {
    const result = await answer;
    void reply.header('Location', `${this.urls.context(req).baseUrl}/Users/${me.id}`);
    return result;
  }
}

/** The bound user's id, as the Users handlers take it; 501 for a token bound to no user. */
function subject(req: FastifyRequest): ResourceIdDto {
  const userId = authenticatedPrincipal(req)?.userId ?? null;
  if (userId === null) {
    throw ScimException.notImplemented('/Me is served only to a token bound to a user (issued with userId)');
  }
  return { id: userId };
}
