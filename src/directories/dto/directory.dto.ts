import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Matches, Min } from 'class-validator';
import type { DirectorySettings } from '../../common/http/scim-context.js';
import { NoControlCharacters } from '../../common/dto/no-control-characters.validator.js';
import { toInt } from '../../common/list/query-transforms.js';
import { SLUG_PATTERN } from '../directory.types.js';
import { IsDirectorySettings } from './directory-settings.validator.js';

/** The largest integer key a directory can have (both databases' `integer`). */
const MAX_ID = 2_147_483_647;

export class CreateDirectoryDto {
  /** Immutable, in URLs: `/directories/{slug}/scim/v2`. */
  @IsString()
  @Length(1, 63)
  @Matches(SLUG_PATTERN, {
    message: 'slug must be lower-case letters, digits or hyphens, starting and ending with a letter or digit',
  })
  slug: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NoControlCharacters()
  displayName?: string;

  @IsOptional()
  @IsDirectorySettings(false)
  settings?: DirectorySettings;
}

export class UpdateDirectoryDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NoControlCharacters()
  displayName?: string;

  /** Merged into the stored settings; a key set to null follows its environment variable again. */
  @IsOptional()
  @IsDirectorySettings(true)
  settings?: Record<string, unknown>;
}

export class DirectoryIdDto {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  id: number;
}

export class DeleteDirectoryQueryDto {
  /** `?purge=true` deletes the directory with everything it holds. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'purge must be true or false' })
  purge?: boolean;
}

export class ListDirectoriesQueryDto {
  /** Directories with a larger id than this (the last id of the previous page). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(MAX_ID)
  after?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  count?: number;
}
