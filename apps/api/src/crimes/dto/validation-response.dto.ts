import { ApiProperty } from '@nestjs/swagger';
import type { ValidationView } from '#libs/crimes';
import { Nullable } from '../../http/openapi.js';
import { FindingResponseDto } from './finding-response.dto.js';

export class CrimeValidationResponseDto implements ValidationView {
  @ApiProperty({ enum: ['would_save', 'needs_acknowledgement', 'refused', 'incomplete'] })
  outcome: ValidationView['outcome'];
  @ApiProperty({ type: [FindingResponseDto] }) findings: FindingResponseDto[];
  @ApiProperty({ type: [String], description: 'required facts not given yet (a new record only)' })
  missing: string[];
  @ApiProperty(Nullable('integer', "an amendment: the record's version now")) currentVersion:
    number | null;
}
