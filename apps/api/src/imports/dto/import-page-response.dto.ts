import { ApiProperty } from '@nestjs/swagger';
import type { ImportPage } from '#libs/imports';
import { Nullable } from '../../http/openapi.js';
import { ImportJobResponseDto } from './import-job-response.dto.js';

export class ImportPageResponseDto implements ImportPage {
  @ApiProperty({ type: [ImportJobResponseDto] }) items: ImportJobResponseDto[];
  @ApiProperty(Nullable(String, 'send as ?cursor= for the next page; null on the last'))
  nextCursor: string | null;
}
