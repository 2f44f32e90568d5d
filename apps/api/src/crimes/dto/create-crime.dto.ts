import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsString, Matches, ValidateIf } from 'class-validator';
import { IsForceId, IsOffenceCode, IsOneOf } from '../../http/validation.js';
import { Acknowledge } from './acknowledge.dto.js';
import { CrimeFieldsDto } from './crime-fields.dto.js';

// A crime reference (the database's ck_crimes_reference says the same).
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,63}$/;
export const REFERENCE_MESSAGE =
  '$property must be 1-64 letters, digits or / _ . : -, starting with a letter or digit';

// The records of one incident share its reference; the Principal Crime Rule (CF-PRINCIPAL-001) compares them.
export const IncidentReference = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      example: 'INC/2018/004512',
      nullable: true,
      description:
        "the force's incident reference, shared by the records entered for one incident (HOCR Section F)",
    }),
    ValidateIf((_: unknown, v: unknown) => v !== null && v !== undefined),
    IsString(),
    Matches(/^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/, {
      message: '$property must be 1-64 letters, digits or / . _ -, starting with a letter or digit',
    }),
  );

// Shared by the API (POST /crimes) and the web form.
export class CreateCrimeDto extends IntersectionType(CrimeFieldsDto, Acknowledge) {
  @IsForceId() forceId: string;
  @ApiProperty({
    example: 'DY/2015/000123',
    description: 'crime reference, unique within the force',
  })
  @IsString()
  @Matches(REFERENCE, { message: REFERENCE_MESSAGE })
  crimeReference: string;
  @IsOffenceCode() offenceCode: string;
  @IncidentReference() incidentReference?: string | null;
  @IsOneOf(['draft', 'confirmed']) status: 'draft' | 'confirmed';
}
