import { ValidateBy } from 'class-validator';

// C0 controls and DEL: never part of an id or a name, and PostgreSQL text cannot hold U+0000.
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
export const CONTROL = /[\u0000-\u001f\u007f]/;

/** Refuses strings with control characters (a NUL would otherwise reach PostgreSQL and fail there). */
export function NoControlCharacters(): PropertyDecorator {
  return ValidateBy({
    name: 'noControlCharacters',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !CONTROL.test(value),
      defaultMessage: () => '$property must not contain control characters',
    },
  });
}
