import { Transform } from 'class-transformer';
import { toInt, toLowerString } from './query-transforms.js';
import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * RFC 7644 §3.4.2 query parameters. Unknown parameters are ignored (§3.4.2 SHOULD),
 * since IdPs append their own, such as Entra's aadOptscim062020.
 */
export class ListQueryDto {
  @IsOptional()
  @IsString()
  filter?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'startIndex must be an integer' })
  startIndex?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'count must be an integer' })
  count?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  sortBy?: string;

  @IsOptional()
  @Transform(toLowerString)
  @IsIn(['ascending', 'descending'])
  sortOrder?: 'ascending' | 'descending';

  @IsOptional()
  @IsString()
  attributes?: string;

  @IsOptional()
  @IsString()
  excludedAttributes?: string;

  /** RFC 9865 §2: present (even empty: the first page) selects cursor paging. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  cursor?: string;
}

/** The query parameters that shape a single returned resource (GET by id, POST, PUT). */
export class ProjectionQueryDto {
  @IsOptional()
  @IsString()
  attributes?: string;

  @IsOptional()
  @IsString()
  excludedAttributes?: string;
}
