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
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, } from 'class-validator';
const toInt = ({ value }) => typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }) => {
    if (typeof value !== 'string')
        return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v))
        return true;
    if (['false', '0', 'no', 'off', ''].includes(v))
        return false;
    return value;
};
const emptyToUndefined = ({ value }) => typeof value === 'string' && value.trim() === '' ? undefined : value;
/**
 * Every environment variable the server reads, with its default. `.env.example`
 * lists the same variables; nothing else in the code reads process.env.
 */
export class EnvDto {
    PORT = 3000;
    HOST = '0.0.0.0';
    DATABASE_URL;
    SQLITE_PATH = './data/scim.sqlite';
    PG_POOL_SIZE = 10;
    PG_STATEMENT_TIMEOUT_MS = 30000;
    MIGRATIONS_RUN = true;
    SCIM_BASE_PATH = '/scim/v2';
    PUBLIC_BASE_URL;
    TRUST_PROXY = false;
    SCIM_BOOTSTRAP_TOKEN;
    AUTH_BASIC_ENABLED = false;
    TOKEN_CACHE_TTL_MS = 2000;
    BODY_LIMIT_BYTES = 5 * 1024 * 1024;
    DEFAULT_PAGE_SIZE = 100;
    MAX_PAGE_SIZE = 1000;
    STRICT_SCHEMA = false;
    TLS_CERT_FILE;
    TLS_KEY_FILE;
    LOG_LEVEL = 'log';
    LOG_JSON = false;
    SHUTDOWN_TIMEOUT_MS = 10000;
}
__decorate([
    Transform(toInt),
    IsInt(),
    Min(0),
    Max(65535),
    __metadata("design:type", Object)
], EnvDto.prototype, "PORT", void 0);
__decorate([
    IsString(),
    MinLength(1),
    __metadata("design:type", Object)
], EnvDto.prototype, "HOST", void 0);
__decorate([
    Transform(emptyToUndefined),
    IsOptional(),
    Matches(/^postgres(ql)?:\/\//, {
        message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
    }),
    __metadata("design:type", String)
], EnvDto.prototype, "DATABASE_URL", void 0);
__decorate([
    IsString(),
    MinLength(1),
    __metadata("design:type", Object)
], EnvDto.prototype, "SQLITE_PATH", void 0);
__decorate([
    Transform(toInt),
    IsInt(),
    Min(1),
    Max(200),
    __metadata("design:type", Object)
], EnvDto.prototype, "PG_POOL_SIZE", void 0);
__decorate([
    Transform(toInt),
    IsInt(),
    Min(0),
    __metadata("design:type", Object)
], EnvDto.prototype, "PG_STATEMENT_TIMEOUT_MS", void 0);
__decorate([
    Transform(toBool),
    IsBoolean(),
    __metadata("design:type", Object)
], EnvDto.prototype, "MIGRATIONS_RUN", void 0);
__decorate([
    Matches(/^(\/[A-Za-z0-9._~-]+)+$/, { message: 'SCIM_BASE_PATH must look like /scim/v2' }),
    __metadata("design:type", Object)
], EnvDto.prototype, "SCIM_BASE_PATH", void 0);
__decorate([
    Transform(emptyToUndefined),
    IsOptional(),
    Matches(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, {
        message: 'PUBLIC_BASE_URL must be an absolute http(s) URL without query, e.g. https://scim.example.com',
    }),
    __metadata("design:type", String)
], EnvDto.prototype, "PUBLIC_BASE_URL", void 0);
__decorate([
    Transform(toBool),
    IsBoolean(),
    __metadata("design:type", Object)
], EnvDto.prototype, "TRUST_PROXY", void 0);
__decorate([
    Transform(emptyToUndefined),
    IsOptional(),
    IsString(),
    MinLength(32, {
        message: 'SCIM_BOOTSTRAP_TOKEN must be at least 32 characters',
    }),
    MaxLength(512),
    __metadata("design:type", String)
], EnvDto.prototype, "SCIM_BOOTSTRAP_TOKEN", void 0);
__decorate([
    Transform(toBool),
    IsBoolean(),
    __metadata("design:type", Object)
], EnvDto.prototype, "AUTH_BASIC_ENABLED", void 0);
__decorate([
    Transform(toInt),
    IsInt(),
    Min(0),
    Max(5000),
    __metadata("design:type", Object)
], EnvDto.prototype, "TOKEN_CACHE_TTL_MS", void 0);
__decorate([
    Transform(toInt),
    IsInt(),
    Min(1024),
    __metadata("design:type", Object)
], EnvDto.prototype, "BODY_LIMIT_BYTES", void 0);
__decorate([
    Transform(toInt),
    IsInt(),
    Min(1),
    Max(10000),
    __metadata("design:type", Object)
], EnvDto.prototype, "DEFAULT_PAGE_SIZE", void 0);
__decorate([
    Transform(toInt),
    IsInt(),
    Min(1),
    Max(10000),
    __metadata("design:type", Object)
], EnvDto.prototype, "MAX_PAGE_SIZE", void 0);
__decorate([
    Transform(toBool),
    IsBoolean(),
    __metadata("design:type", Object)
], EnvDto.prototype, "STRICT_SCHEMA", void 0);
__decorate([
    Transform(emptyToUndefined),
    IsOptional(),
    IsString(),
    __metadata("design:type", String)
], EnvDto.prototype, "TLS_CERT_FILE", void 0);
__decorate([
    Transform(emptyToUndefined),
    IsOptional(),
    IsString(),
    __metadata("design:type", String)
], EnvDto.prototype, "TLS_KEY_FILE", void 0);
__decorate([
    IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']),
    __metadata("design:type", Object)
], EnvDto.prototype, "LOG_LEVEL", void 0);
__decorate([
    Transform(toBool),
    IsBoolean(),
    __metadata("design:type", Object)
], EnvDto.prototype, "LOG_JSON", void 0);
__decorate([
    Transform(toInt),
    IsInt(),
    Min(0),
    __metadata("design:type", Object)
], EnvDto.prototype, "SHUTDOWN_TIMEOUT_MS", void 0);
//# sourceMappingURL=env.dto.js.map