import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  IsFinancialYear,
  IsForceId,
  IsOffenceCode,
  IsOneOf,
  IsReason,
  IsWholeNumber,
} from '../../http/validation.js';
import { Acknowledge } from './acknowledge.dto.js';
import { CrimeFieldsDto } from './crime-fields.dto.js';
import { IncidentReference, REFERENCE, REFERENCE_MESSAGE } from './create-crime.dto.js';
import { Versioned } from './versioned.dto.js';

export class ReclassifyCrimeDto extends IntersectionType(Versioned, Acknowledge) {
  @IsOffenceCode() offenceCode: string;
  @IsReason('why the classification changes (HOCR Section B)') reason: string;
}

export class ConfirmCrimeDto extends IntersectionType(Versioned, Acknowledge) {}

export class CancelCrimeDto extends Versioned {
  @ApiProperty({
    example: 'C2',
    description: 'cancellation category code (see GET /rules/cancellation-categories)',
  })
  @IsString()
  category: string;
  @IsReason('additional verifiable information (AVI) that justifies the decision')
  justification: string;
}

// The receiver is a force (toForceId) or an investigating authority outside the 44 forces (toAuthorityId:
// GET /catalogue/authorities), exactly one of them; CF-CANCEL-001 refuses neither or both.
export class TransferCrimeDto extends Versioned {
  @IsForceId(true) toForceId?: string;
  @ApiPropertyOptional({
    example: 'police-scotland',
    description: 'investigating authority outside the 44 forces (HOCR Section I)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z-]{1,39}$/, {
    message: '$property must be an authority id such as "police-scotland"',
  })
  toAuthorityId?: string;
  @ApiPropertyOptional({ example: 'C1', default: 'C1' })
  @IsOptional()
  @IsString()
  category?: string;
  @IsReason('why the crime belongs to the other force') justification: string;
}

export class ListCrimesQueryDto {
  @IsForceId(true) force?: string;
  @IsFinancialYear({ optional: true }) year?: number;
  @ApiPropertyOptional({ example: '19C' }) @IsOptional() @IsString() offence?: string;
  @IsOneOf(['yes', 'no', 'unknown'], true) flag?: 'yes' | 'no' | 'unknown';
  @IsOneOf(['draft', 'confirmed', 'cancelled', 'transferred'], true) status?:
    'draft' | 'confirmed' | 'cancelled' | 'transferred';
  @IsWholeNumber('limit', 1, 500, { default: 50 }) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;
  @ApiPropertyOptional({
    example: 'DY/2015/000123',
    description: 'exact crime reference (add force when two forces use it)',
  })
  @IsOptional()
  @IsString()
  @Matches(REFERENCE, { message: REFERENCE_MESSAGE })
  reference?: string;
  @ApiPropertyOptional({
    example: 'DY/2015/',
    description: 'crime references starting with this (index range scan)',
  })
  @IsOptional()
  @IsString()
  @Matches(REFERENCE, { message: REFERENCE_MESSAGE })
  referencePrefix?: string;
}

// Validate without saving: a candidate new record (every field optional, so a form can ask as it fills in).
export class ValidateCrimeDto extends IntersectionType(PartialType(CrimeFieldsDto), Acknowledge) {
  @IsForceId(true) forceId?: string;
  @ApiPropertyOptional({ example: 'DY/2015/000123' })
  @IsOptional()
  @IsString()
  @Matches(REFERENCE, { message: REFERENCE_MESSAGE })
  crimeReference?: string;
  @ApiPropertyOptional({ example: '71/17' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Za-z][0-9A-Za-z/_-]{0,15}$/)
  offenceCode?: string;
  @IncidentReference() incidentReference?: string | null;
  @IsOneOf(['draft', 'confirmed'], true) status?: 'draft' | 'confirmed';
}

// Validate an amendment without saving: the facts that would change (as PATCH takes them, without version or reason).
export class ValidateAmendmentDto extends IntersectionType(
  PartialType(CrimeFieldsDto),
  Acknowledge,
) {}

export class BulkItemDto extends IntersectionType(
  PartialType(CrimeFieldsDto),
  Versioned,
  Acknowledge,
) {
  @ApiProperty({ description: 'the record to resolve', format: 'uuid' }) @IsUUID() id: string;
  @ApiPropertyOptional({ description: 'why the facts change (required when any fact is given)' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason?: string;
  @ApiPropertyOptional({ description: 'confirm the draft (after the amendment, if any)' })
  @IsOptional()
  @IsBoolean()
  confirm?: boolean;
}

export class BulkResolveDto {
  @ApiPropertyOptional({ enum: ['all_or_nothing', 'per_item'], default: 'all_or_nothing' })
  @IsOptional()
  @IsIn(['all_or_nothing', 'per_item'])
  mode?: 'all_or_nothing' | 'per_item';
  @ApiProperty({ type: [BulkItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BulkItemDto)
  items: BulkItemDto[];
}
