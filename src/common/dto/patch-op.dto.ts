import { ArrayNotEmpty, IsArray, IsObject, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { MESSAGE_PATCH_OP } from '../../scim/scim.constants.js';

@ValidatorConstraint({ name: 'containsPatchOpSchema' })
export class ContainsPatchOpSchema implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    const wanted = MESSAGE_PATCH_OP.toLowerCase();
    return Array.isArray(value) && value.some((item) => typeof item === 'string' && item.toLowerCase() === wanted);
  }

  defaultMessage(): string {
    return `schemas must contain "${MESSAGE_PATCH_OP}"`;
  }
}

/**
 * RFC 7644 §3.5.2 PatchOp envelope: the message schema and at least one operation.
 * Failures here are 400 invalidSyntax (see ScimValidationPipe).
 */
export class PatchOpDto {
  static readonly envelope = true;

  @IsArray({ message: 'schemas must be an array' })
  @Validate(ContainsPatchOpSchema)
  schemas: string[];

  @IsArray({ message: 'Operations must be an array' })
  @ArrayNotEmpty({ message: 'Operations must contain at least one operation' })
  // Each operation stays a plain object: the PATCH engine checks op, path and value
  // with messages that name the operation (Operations[i]).
  @IsObject({ each: true, message: 'each operation must be an object' })
  Operations: Record<string, unknown>[];
}
