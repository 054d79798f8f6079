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
import { Strategy } from 'passport-http-bearer';
import { TokensService } from './tokens.service.js';
let BearerStrategy = class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
    tokens;
    constructor(tokens) {
        super();
        this.tokens = tokens;
    }
    async validate(secret) {
        return (await this.tokens.verify(secret)) ?? false;
    }
};
BearerStrategy = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [TokensService])
], BearerStrategy);
export { BearerStrategy };
//# sourceMappingURL=bearer.strategy.js.map