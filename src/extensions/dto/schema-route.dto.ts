import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { NoControlCharacters } from '../../common/dto/no-control-characters.validator.js';

function toInt({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
}

function toBool({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** `/admin/directories/:id/schemas`: a directory id is a positive integer. */
export class DirectoryIdDto {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  id: number;
}

/** `/admin/directories/:id/schemas/:urn`: the URN as registered (case-insensitive), bounded like registration. */
export class DirectorySchemaDto extends DirectoryIdDto {
  @IsString()
  @Length(1, 255)
  @NoControlCharacters()
  urn: string;
}

/** `?allowRemoval=true`: remove attributes (or the schema) although resources hold values of them. */
export class SchemaChangeQueryDto {
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  allowRemoval?: boolean;
}
