import { IsString, Length } from 'class-validator';

/** Any id is looked up as given: an unknown or malformed id is simply 404. */
export class ResourceIdDto {
  @IsString() @Length(1, 200)
  id: string;
}
