import { ApiProperty } from '@nestjs/swagger';
import type { ForceReturnTables, RevisionView } from '#libs/returns';
import { FreeForm } from '../../http/openapi.js';
import { ReturnStatusResponseDto } from './return-status-response.dto.js';
import { RevisionSummaryResponseDto } from './revision-summary-response.dto.js';

class VerificationDto {
  @ApiProperty({ description: 'the stored tables still hash to sha256' }) ok: boolean;
  @ApiProperty() recomputedSha256: string;
}

export class RevisionResponseDto extends RevisionSummaryResponseDto implements RevisionView {
  @ApiProperty({ type: ReturnStatusResponseDto }) status: ReturnStatusResponseDto;
  @ApiProperty(
    FreeForm('the frozen tables: metadata and tables A, B and C (docs/return-format.md)'),
  )
  tables: ForceReturnTables;
  @ApiProperty({ type: VerificationDto }) verification: VerificationDto;
}
