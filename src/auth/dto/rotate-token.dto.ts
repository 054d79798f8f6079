import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class RotateTokenDto {
  /** How long the old token keeps working, so the IdP can be switched without downtime. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  graceSeconds?: number;
}
