import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { IsArray, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { IsForceId, IsOffenceCode, IsOneOf, IsReason } from '../../http/validation.js';
import { CrimeFieldsDto } from './crime-fields.dto.js';

class Acknowledge {
  @ApiPropertyOptional({ type: [String], description: "codes of 'confirm'-severity rules the registrar accepts" })
  @IsOptional() @IsArray() @IsString({ each: true }) acknowledge?: string[];
}
class Versioned {
  @ApiProperty({ example: 1, minimum: 1, description: 'the version you read (optimistic locking)' }) @IsInt() @Min(1) version: number;
}

export class CreateCrimeDto extends IntersectionType(CrimeFieldsDto, Acknowledge) {
  @IsForceId() forceId: string;
  @ApiProperty({ example: 'DY/2015/000123', description: 'crime reference, unique within the force' })
  @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,63}$/, { message: 'crimeReference must be 1-64 letters, digits or / _ . : -' })
  crimeReference: string;
  @IsOffenceCode() offenceCode: string;
  @IsOneOf(['draft', 'confirmed']) status: 'draft' | 'confirmed';
}

export class AmendCrimeDto extends IntersectionType(PartialType(CrimeFieldsDto), Versioned, Acknowledge) {
  @IsReason('why the record is amended') reason: string;
}

export class ReclassifyCrimeDto extends IntersectionType(Versioned, Acknowledge) {
  @IsOffenceCode() offenceCode: string;
  @IsReason('why the classification changes (HOCR Section B)') reason: string;
}

export class ConfirmCrimeDto extends IntersectionType(Versioned, Acknowledge) {}

export class CancelCrimeDto extends Versioned {
  @ApiProperty({ example: 'C2', description: 'cancellation category code (see GET /rules/cancellation-categories)' })
  @IsString() category: string;
  @IsReason('additional verifiable information (AVI) that justifies the decision') justification: string;
}

export class TransferCrimeDto extends Versioned {
  @IsForceId() toForceId: string;
  @ApiPropertyOptional({ example: 'C1', default: 'C1' }) @IsOptional() @IsString() category?: string;
  @IsReason('why the crime belongs to the other force') justification: string;
}

export class ListCrimesQueryDto {
  @IsForceId(true) force?: string;
  @ApiPropertyOptional({ example: '2015-16' }) @IsOptional() @Matches(/^\d{4}-\d{2}$/, { message: 'year must look like 2015-16' }) year?: string;
  @ApiPropertyOptional({ example: '19C' }) @IsOptional() @IsString() offence?: string;
  @IsOneOf(['yes', 'no', 'unknown'], true) flag?: 'yes' | 'no' | 'unknown';
  @IsOneOf(['draft', 'confirmed', 'cancelled', 'transferred'], true) status?: 'draft' | 'confirmed' | 'cancelled' | 'transferred';
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional() @Matches(/^\d{1,3}$/, { message: 'limit must be a whole number from 1 to 500' }) limit?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;
}
