import { Controller } from '@nestjs/common';
import { ScimResourceController } from '../common/http/scim-resource.controller.js';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { UsersService } from './users.service.js';

/** /Users (RFC 7644 §3.2); the SCIM rules live in UsersService. */
@Controller('Users')
export class UsersController extends ScimResourceController {
  constructor(users: UsersService, urls: ScimUrlService) {
    super(users, urls);
  }
}
