import { IsUUID } from 'class-validator';

export class TokenIdDto {
  @IsUUID()
  id: string;
}
