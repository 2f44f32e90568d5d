import { ApiProperty } from '@nestjs/swagger';
import type { ImportCounts, ImportJobView } from '#libs/imports';
import { DateTime, Nullable } from '../../http/openapi.js';

class ImportCountsDto implements ImportCounts {
  @ApiProperty() read: number;
  @ApiProperty() accepted: number;
  @ApiProperty() rejected: number;
  @ApiProperty() inserted: number;
  @ApiProperty() amended: number;
  @ApiProperty() unchanged: number;
}

class ImportErrorDto {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class ImportJobResponseDto implements ImportJobView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() createdBy: string;
  @ApiProperty(DateTime()) createdAt: Date;
  @ApiProperty({ type: [String], description: "the importer's forces" }) scope: string[];
  @ApiProperty({ enum: ['csv', 'ndjson'] }) format: ImportJobView['format'];
  @ApiProperty({ enum: ['all_or_nothing', 'accept_valid', 'dry_run'] }) mode: ImportJobView['mode'];
  @ApiProperty({ enum: ['running', 'completed', 'rejected', 'failed'] })
  state: ImportJobView['state'];
  @ApiProperty(Nullable(String)) fileName: string | null;
  @ApiProperty({ type: ImportCountsDto }) counts: ImportCountsDto;
  @ApiProperty({ type: [String], description: 'forces of the rows read' }) forces: string[];
  @ApiProperty({ type: ImportErrorDto, nullable: true }) error: ImportErrorDto | null;
  @ApiProperty(DateTime()) updatedAt: Date;
  @ApiProperty(DateTime(undefined, true)) finishedAt: Date | null;
}
