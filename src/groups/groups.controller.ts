import { Controller, Inject } from '@nestjs/common';
import { ScimResourceController } from '../common/http/scim-resource.controller.js';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GroupsService } from './groups.service.js';

/** /Groups (RFC 7644 §3.2); GROUP_PATCH_STATUS=204 spares huge groups a serialisation per PATCH. */
@Controller('Groups')
export class GroupsController extends ScimResourceController {
  constructor(groups: GroupsService, urls: ScimUrlService, @Inject(APP_CONFIG) config: AppConfig) {
    super(groups, urls, () => config.groupPatchStatus);
  }
}
