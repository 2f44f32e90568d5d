import { ApiProperty } from '@nestjs/swagger';
import { ImportJobResponseDto } from './import-job-response.dto.js';
import { RejectionResponseDto } from './rejection-response.dto.js';

export class ImportJobDetailResponseDto extends ImportJobResponseDto {
  @ApiProperty({
    type: [RejectionResponseDto],
    description: 'the first 1000 rejected rows (GET …/report for all)',
  })
  rejections: RejectionResponseDto[];
}
