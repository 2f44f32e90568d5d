import { IntersectionType, PartialType } from '@nestjs/swagger';
import { IsReason } from '../../http/validation.js';
import { Acknowledge } from './acknowledge.dto.js';
import { CrimeFieldsDto } from './crime-fields.dto.js';
import { Versioned } from './versioned.dto.js';

// Shared by the API (PATCH /crimes/:id) and the web form.
export class AmendCrimeDto extends IntersectionType(
  PartialType(CrimeFieldsDto),
  Versioned,
  Acknowledge,
) {
  @IsReason('why the record is amended') reason: string;
}
