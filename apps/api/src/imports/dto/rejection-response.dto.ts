import { ApiProperty } from '@nestjs/swagger';
import type { RejectionView } from '#libs/imports';
import { Nullable } from '../../http/openapi.js';

export class RejectionResponseDto implements RejectionView {
  @ApiProperty({ description: 'line of the file (CSV: the header is line 1)' }) line: number;
  @ApiProperty(Nullable(String)) crimeReference: string | null;
  @ApiProperty(Nullable(String)) forceId: string | null;
  @ApiProperty({ type: [String], description: 'rule or format codes' }) codes: string[];
  @ApiProperty() message: string;
}
