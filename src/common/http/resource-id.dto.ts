import { IsString, Length } from 'class-validator';
import { NoControlCharacters } from '../dto/no-control-characters.validator.js';

/** Any id is looked up as given: an unknown id is 404; one with control characters cannot exist and is 400. */
export class ResourceIdDto {
  @IsString()
  @Length(1, 200)
  @NoControlCharacters()
  id: string;
}
