var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
const toInt = ({ value }) => {
    if (typeof value !== 'string' || value.trim() === '')
        return value;
    return /^[-+]?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
};
const toLowerString = ({ value }) => typeof value === 'string' ? value.toLowerCase() : value;
/**
 * RFC 7644 §3.4.2 query parameters. Unknown parameters are ignored (§3.4.2 SHOULD),
 * since IdPs append their own, such as Entra's aadOptscim062020.
 */
export class ListQueryDto {
    filter;
    startIndex;
    count;
    sortBy;
    sortOrder;
    attributes;
    excludedAttributes;
}
__decorate([
    IsOptional(),
    IsString(),
    __metadata("design:type", String)
], ListQueryDto.prototype, "filter", void 0);
__decorate([
    IsOptional(),
    Transform(toInt),
    IsInt({ message: 'startIndex must be an integer' }),
    __metadata("design:type", Number)
], ListQueryDto.prototype, "startIndex", void 0);
__decorate([
    IsOptional(),
    Transform(toInt),
    IsInt({ message: 'count must be an integer' }),
    __metadata("design:type", Number)
], ListQueryDto.prototype, "count", void 0);
__decorate([
    IsOptional(),
    IsString(),
    MaxLength(1000),
    __metadata("design:type", String)
], ListQueryDto.prototype, "sortBy", void 0);
__decorate([
    IsOptional(),
    Transform(toLowerString),
    IsIn(['ascending', 'descending']),
    __metadata("design:type", String)
], ListQueryDto.prototype, "sortOrder", void 0);
__decorate([
    IsOptional(),
    IsString(),
    __metadata("design:type", String)
], ListQueryDto.prototype, "attributes", void 0);
__decorate([
    IsOptional(),
    IsString(),
    __metadata("design:type", String)
], ListQueryDto.prototype, "excludedAttributes", void 0);
/** The query parameters that shape a single returned resource (GET by id, POST, PUT). */
export class ProjectionQueryDto {
    attributes;
    excludedAttributes;
}
__decorate([
    IsOptional(),
    IsString(),
    __metadata("design:type", String)
], ProjectionQueryDto.prototype, "attributes", void 0);
__decorate([
    IsOptional(),
    IsString(),
    __metadata("design:type", String)
], ProjectionQueryDto.prototype, "excludedAttributes", void 0);
//# sourceMappingURL=list-query.dto.js.map