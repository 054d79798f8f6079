var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { BasicStrategy as PassportBasic } from 'passport-http';
import { TokensService } from './tokens.service.js';
/** For IdPs that only speak HTTP Basic: the password is an issued token; the user name is ignored. */
let BasicStrategy = class BasicStrategy extends PassportStrategy(PassportBasic, 'basic') {
    tokens;
    constructor(tokens) {
        super();
        this.tokens = tokens;
    }
    async validate(_user, password) {
        return (await this.tokens.verify(password)) ?? false;
    }
};
BasicStrategy = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [TokensService])
], BasicStrategy);
export { BasicStrategy };
//# sourceMappingURL=basic.strategy.js.map