import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

// Part of every command on an existing record.
export class Versioned {
  @ApiProperty({ example: 1, minimum: 1, description: 'the version you read (optimistic locking)' })
  @IsInt()
  @Min(1)
  version: number;
}
