import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString } from 'class-validator';

// Part of every command that runs the recording rules.
export class Acknowledge {
  @ApiPropertyOptional({
    type: [String],
    description: "codes of 'confirm'-severity rules the registrar accepts",
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  acknowledge?: string[];
}
