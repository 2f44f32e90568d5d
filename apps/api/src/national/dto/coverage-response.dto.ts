import { ApiProperty } from '@nestjs/swagger';
import type { Coverage } from '#libs/national';

export class CoverageResponseDto implements Coverage {
  @ApiProperty({ description: 'forces counted' }) included: number;
  @ApiProperty({ description: 'forces expected in the year' }) expected: number;
  @ApiProperty({ example: '43 of 44 forces' }) text: string;
}
