import { ApiProperty } from '@nestjs/swagger';
import type { NationalPeriod } from '#libs/national';

export class NationalPeriodResponseDto implements NationalPeriod {
  @ApiProperty({ example: 2015 }) startYear: number;
  @ApiProperty({ example: '2015-16' }) label: string;
  @ApiProperty({ format: 'date', example: '2015-04-01' }) firstDay: string;
  @ApiProperty({ format: 'date', example: '2016-03-31', description: 'inclusive' }) lastDay: string;
  @ApiProperty({ example: 366 }) days: number;
}
