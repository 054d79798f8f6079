var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Global, Module } from '@nestjs/common';
import { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { ScimUrlService } from './http/scim-url.service.js';
/** Makes the framework-free schema registry and the URL builder injectable everywhere. */
let ScimCoreModule = class ScimCoreModule {
};
ScimCoreModule = __decorate([
    Global(),
    Module({
        providers: [{ provide: SchemaRegistry, useValue: new SchemaRegistry() }, ScimUrlService],
        exports: [SchemaRegistry, ScimUrlService],
    })
], ScimCoreModule);
export { ScimCoreModule };
//# sourceMappingURL=scim-core.module.js.map