import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { toInt } from '../../common/list/query-transforms.js';
import { DirectoryIdDto } from '../../directories/dto/directory.dto.js';

/** `/admin/directories/:id/deleted/:resourceId`. */
export class DeletedResourceParamsDto extends DirectoryIdDto {
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._~-]+$/, { message: 'resourceId must be a resource id' })
  resourceId: string;
}

export class ListDeletedQueryDto {
  @IsOptional()
  @IsIn(['User', 'Group'])
  resourceType?: 'User' | 'Group';

  /** The `next` of the previous page: `<deletedAt>_<id>`. */
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z_[A-Za-z0-9._~-]{1,64}$/, {
    message: 'after must be the next of a previous page',
  })
  after?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  count?: number;
}
