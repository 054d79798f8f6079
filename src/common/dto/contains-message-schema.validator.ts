import { ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';

/**
 * `schemas` names the message's URN (given as the constraint, e.g. the PatchOp or
 * SearchRequest URN). Schema URIs are case-insensitive (RFC 7643 §2.1), so the match is too.
 */
@ValidatorConstraint({ name: 'containsMessageSchema' })
export class ContainsMessageSchema implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const wanted = String(args.constraints[0]).toLowerCase();
    return Array.isArray(value) && value.some((item) => typeof item === 'string' && item.toLowerCase() === wanted);
  }

  defaultMessage(args: ValidationArguments): string {
    return `schemas must contain "${String(args.constraints[0])}"`;
  }
}
