import { ValidationPipe } from '@nestjs/common';
import { ScimException } from '../../scim/errors/scim.exception.js';
function messages(errors, parent = '') {
    return errors.flatMap((e) => {
        const path = parent ? `${parent}.${e.property}` : e.property;
        const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
        return [...own, ...messages(e.children ?? [], path)];
    });
}
/**
 * class-validator for message envelopes and query parameters (PatchOp,
 * SearchRequest, list queries, admin DTOs). Failures are SCIM errors: a body of
 * the wrong shape is invalidSyntax; a parameter with a bad value is invalidValue.
 */
export function createScimValidationPipe() {
    return new ValidationPipe({
        transform: true,
        whitelist: false,
        forbidUnknownValues: false,
        exceptionFactory: (errors) => {
            const detail = messages(errors).join('; ') || 'Invalid request';
            return ScimException.invalidValue(detail);
        },
    });
}
//# sourceMappingURL=scim-validation.pipe.js.map