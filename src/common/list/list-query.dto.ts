import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string' || value.trim() === '') return value;
  return /^[-+]?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
};

const toLowerString = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.toLowerCase() : value;

/**
 * RFC 7644 §3.4.2 query parameters. Unknown parameters are ignored (§3.4.2 SHOULD),
 * since IdPs append their own, such as Entra's aadOptscim062020.
 */
export class ListQueryDto {
  @IsOptional() @IsString()
  filter?: string;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'startIndex must be an integer' })
  startIndex?: number;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'count must be an integer' })
  count?: number;

  @IsOptional() @IsString() @MaxLength(1000)
  sortBy?: string;

  @IsOptional() @Transform(toLowerString) @IsIn(['ascending', 'descending'])
  sortOrder?: 'ascending' | 'descending';

  @IsOptional() @IsString()
  attributes?: string;

  @IsOptional() @IsString()
  excludedAttributes?: string;
}

/** The query parameters that shape a single returned resource (GET by id, POST, PUT). */
export class ProjectionQueryDto {
  @IsOptional() @IsString()
  attributes?: string;

  @IsOptional() @IsString()
  excludedAttributes?: string;
}
