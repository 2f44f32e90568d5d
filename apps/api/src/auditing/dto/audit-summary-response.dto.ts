import { OmitType } from '@nestjs/swagger';
import { AuditResponseDto } from './audit-response.dto.js';

// One line of GET /audits: the audit without its strata, sample and results.
export class AuditSummaryResponseDto extends OmitType(AuditResponseDto, [
  'strata',
  'sample',
  'results',
] as const) {}
