var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Column, Entity, PrimaryColumn } from 'typeorm';
/**
 * Small shared key/value facts that every instance must agree on (for example
 * "the first admin token was issued"), kept in the database so instances stay stateless.
 */
let ServerStateEntity = class ServerStateEntity {
    key;
    value;
};
__decorate([
    PrimaryColumn({ type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], ServerStateEntity.prototype, "key", void 0);
__decorate([
    Column({ type: 'text' }),
    __metadata("design:type", String)
], ServerStateEntity.prototype, "value", void 0);
ServerStateEntity = __decorate([
    Entity({ name: 'server_state' })
], ServerStateEntity);
export { ServerStateEntity };
//# sourceMappingURL=server-state.entity.js.map