import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ReturnFinding, ReturnRecordRef, ReturnRuleCode, ValidationView } from '#libs/returns';
import { FreeForm } from '../../http/openapi.js';
import { ReturnStatusResponseDto } from './return-status-response.dto.js';

class ReturnRecordRefDto implements ReturnRecordRef {
  @ApiProperty({ format: 'uuid' }) crimeId: string;
  @ApiProperty() crimeReference: string;
  @ApiPropertyOptional(FreeForm('what the rule found on the record')) details?: Record<
    string,
    unknown
  >;
}

class ReturnFindingDto implements ReturnFinding {
  @ApiProperty({ enum: ['CF-RET-001', 'CF-RET-002', 'CF-RET-003', 'CF-RET-004'] })
  code: ReturnRuleCode;
  @ApiProperty({ enum: ['block'] }) severity: 'block';
  @ApiProperty() message: string;
  @ApiProperty() reference: string;
  @ApiProperty({ description: 'all records concerned' }) recordCount: number;
  @ApiProperty({ type: [ReturnRecordRefDto], description: 'the first of them, by crime reference' })
  records: ReturnRecordRefDto[];
  @ApiProperty() truncated: boolean;
  @ApiPropertyOptional(FreeForm('rule-specific figures')) details?: Record<string, unknown>;
}

export class ValidationResponseDto implements ValidationView {
  @ApiProperty() forceId: string;
  @ApiProperty() year: string;
  @ApiProperty({ type: ReturnStatusResponseDto }) status: ReturnStatusResponseDto;
  @ApiProperty() ok: boolean;
  @ApiProperty({
    description: 'record lists are withheld (records: []) from callers without record-level access',
  })
  recordsWithheld: boolean;
  @ApiProperty({ type: [ReturnFindingDto] }) findings: ReturnFindingDto[];
}
