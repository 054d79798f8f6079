import { IsUUID } from 'class-validator';
import { DirectoryIdDto } from './directory.dto.js';

/** `/admin/directories/:id/tokens/:tokenId`. */
export class DirectoryTokenParamsDto extends DirectoryIdDto {
  @IsUUID()
  tokenId: string;
}
