import { Transform } from 'class-transformer';
import { nullAsAbsent, toInt, toLowerString } from './query-transforms.js';
import { IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, Validate } from 'class-validator';

import { MESSAGE_SEARCH_REQUEST } from '../../scim/scim.constants.js';
import { ContainsMessageSchema } from '../dto/contains-message-schema.validator.js';

/** Same leniency as the query string: "10" is accepted where 10 is meant. */

/**
 * RFC 7644 §3.4.3 defines attributes/excludedAttributes in a SearchRequest as
 * arrays, while §3.4.2.5 defines the query parameters as comma-separated strings;
 * clients mix the two, so both forms (and commas inside array items) become one
 * trimmed string[]. Anything else is left as is for the validators to reject.
 */
const toNameList = ({ value }: { value: unknown }): unknown => {
  if (value === null) return undefined;
  const split = (text: string): string[] =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (typeof value === 'string') return split(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.flatMap(split);
  return value;
};

/**
 * The body of POST [prefix]/.search (RFC 7644 §3.4.3), with `cursor` from RFC 9865 §3.
 * Unknown members are ignored, as for query parameters. `filter` is only checked
 * to be a string here; the filter parser reports invalidFilter.
 */
export class SearchRequestDto {
  /** A message envelope: a malformed one is 400 invalidSyntax (RFC 7644 §3.4.3). */
  static readonly envelope = true;
  /** Canonical member names; a body's keys are matched case-insensitively (RFC 7643 §2.1). */
  static readonly members = [
    'schemas',
    'attributes',
    'excludedAttributes',
    'filter',
    'sortBy',
    'sortOrder',
    'startIndex',
    'count',
    'cursor',
  ] as const;

  @IsArray({ message: 'schemas must be an array' })
  @Validate(ContainsMessageSchema, [MESSAGE_SEARCH_REQUEST])
  schemas: string[];

  @IsOptional()
  @Transform(toNameList)
  @IsArray({ message: 'attributes must be an array of strings or a comma-separated string' })
  @IsString({ each: true, message: 'attributes must contain only strings' })
  attributes?: string[];

  @IsOptional()
  @Transform(toNameList)
  @IsArray({ message: 'excludedAttributes must be an array of strings or a comma-separated string' })
  @IsString({ each: true, message: 'excludedAttributes must contain only strings' })
  excludedAttributes?: string[];

  @IsOptional()
  @Transform(nullAsAbsent)
  @IsString()
  filter?: string;

  @IsOptional()
  @Transform(nullAsAbsent)
  @IsString()
  @MaxLength(1000)
  sortBy?: string;

  @IsOptional()
  @Transform(toLowerString)
  @IsIn(['ascending', 'descending'])
  sortOrder?: 'ascending' | 'descending';

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'startIndex must be an integer' })
  startIndex?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'count must be an integer' })
  count?: number;

  /** Empty or absent asks for the first page (RFC 9865 §2). */
  @IsOptional()
  @Transform(nullAsAbsent)
  @IsString()
  cursor?: string;
}
