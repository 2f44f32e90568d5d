import { ApiProperty } from '@nestjs/swagger';
import type { Force } from '#libs/catalogue';
import { Nullable } from '../../http/openapi.js';

export class ForceResponseDto implements Force {
  @ApiProperty({ example: 'derbyshire', description: 'data.police.uk force id' }) id: string;
  @ApiProperty({ example: 'Derbyshire Constabulary' }) name: string;
  @ApiProperty({ example: 'east-midlands' }) regionId: string;
  @ApiProperty({ description: 'false only for British Transport Police' }) territorial: boolean;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ ...Nullable(String), format: 'date' }) validTo: string | null;
  @ApiProperty() source: string;
}
