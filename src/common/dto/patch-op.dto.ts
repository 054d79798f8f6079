import { ArrayNotEmpty, IsArray, IsObject, Validate } from 'class-validator';
import { MESSAGE_PATCH_OP } from '../../scim/scim.constants.js';
import { ContainsMessageSchema } from './contains-message-schema.validator.js';

/**
 * RFC 7644 §3.5.2 PatchOp envelope: the message schema and at least one operation.
 * Failures here are 400 invalidSyntax (see ScimValidationPipe).
 */
export class PatchOpDto {
  static readonly envelope = true;
  /** Canonical member names; a body's keys are matched case-insensitively (RFC 7643 §2.1). */
  static readonly members = ['schemas', 'Operations'] as const;

  @IsArray({ message: 'schemas must be an array' })
  @Validate(ContainsMessageSchema, [MESSAGE_PATCH_OP])
  schemas: string[];

  @IsArray({ message: 'Operations must be an array' })
  @ArrayNotEmpty({ message: 'Operations must contain at least one operation' })
  // Each operation stays a plain object: the PATCH engine checks op, path and value
  // with messages that name the operation (Operations[i]).
  @IsObject({ each: true, message: 'each operation must be an object' })
  Operations: Record<string, unknown>[];
}
