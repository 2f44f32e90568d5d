import { ApiProperty } from '@nestjs/swagger';
import type { Region } from '#libs/catalogue';

export class RegionResponseDto implements Region {
  @ApiProperty({ example: 'east-midlands' }) id: string;
  @ApiProperty({ example: 'East Midlands' }) name: string;
  @ApiProperty() source: string;
}
