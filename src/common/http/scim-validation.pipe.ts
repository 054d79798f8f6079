import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { canonicalKeys } from '../../scim/canonical-keys.js';
import { ScimException } from '../../scim/errors/scim.exception.js';

function messages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...messages(e.children ?? [], path)];
  });
}

/**
 * class-validator for message envelopes and query parameters (PatchOp,
 * SearchRequest, list queries, admin DTOs). Failures are SCIM errors: a SCIM
 * message envelope of the wrong shape is invalidSyntax (RFC 7644 Table 9); a
 * parameter or admin field with a bad value is invalidValue. An envelope's member names are
 * case-insensitive (RFC 7643 §2.1): they are mapped onto the DTO's `members` before validation,
 * so `"Filter"` is not silently ignored.
 */
export class ScimValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: false,
      forbidUnknownValues: false,
      exceptionFactory: (errors) => ScimException.invalidValue(messages(errors).join('; ') || 'Invalid request'),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype as { envelope?: boolean; members?: readonly string[] } | undefined;
    const envelope = type?.envelope === true;
    if (envelope && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw ScimException.invalidSyntax('Request body must be a JSON object');
    }
    const body = envelope && type.members ? canonicalKeys(value as Record<string, unknown>, type.members) : value;
    try {
      return await super.transform(body, metadata);
    } catch (error) {
      if (envelope && error instanceof ScimException) throw ScimException.invalidSyntax(error.detail);
      throw error;
    }
  }
}

export function createScimValidationPipe(): ValidationPipe {
  return new ScimValidationPipe();
}
