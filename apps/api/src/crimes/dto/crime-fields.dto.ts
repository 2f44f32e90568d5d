import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  HATE_STRANDS,
  TEXT_LIMITS,
  type HateStrand,
  type OnlineFlag,
  type VictimSex,
} from '#libs/recording-rules';
import type { RecordedFacts } from '#libs/crimes';
import { IsOneOf, IsTimestamp } from '../../http/validation.js';

// Ages in whole years at the offence date (the web form says the same range in its own words).
export const MAX_AGE = 120;

const nullable = ValidateIf((_: unknown, v: unknown) => v !== null && v !== undefined);

// Fields shared by create and amend. On amend every field is optional; null means "unknown / none".
export class CrimeFieldsDto {
  @IsTimestamp('when the crime was reported') reportedAt: string;
  @IsTimestamp('when the crime was recorded; assigns the financial year') recordedAt: string;
  @IsTimestamp('offence date, or start of the offence period') offenceFrom: string;
  @IsTimestamp('end of the offence period', true) offenceTo?: string | null;
  @IsOneOf(['yes', 'no', 'unknown']) onlineFlag: OnlineFlag;
  // `string | null` reflects as Object: the type is stated so the document says string (nullable).
  @ApiPropertyOptional({
    type: String,
    description: 'how a computer, network or device was used',
    nullable: true,
    example: 'messages sent through a social media app',
  })
  @nullable
  @IsString()
  @MaxLength(TEXT_LIMITS.onlineMethod)
  onlineMethod?: string | null;
  @ApiPropertyOptional({
    type: String,
    description: 'platform or app, if known',
    nullable: true,
    example: 'a chat app',
  })
  @nullable
  @IsString()
  @MaxLength(TEXT_LIMITS.onlinePlatform)
  onlinePlatform?: string | null;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'victim age at the offence date; null = unknown',
    nullable: true,
    minimum: 0,
    maximum: MAX_AGE,
    example: 14,
  })
  @nullable
  @IsInt()
  @Min(0)
  @Max(MAX_AGE)
  victimAge?: number | null;
  @IsOneOf(['female', 'male', 'unknown']) victimSex: VictimSex;
  @ApiPropertyOptional({
    type: 'integer',
    description:
      "suspect's age at the offence date, if known (often claimed or estimated online: an age outside the code's range asks for confirmation, CF-OFFENDER-001)",
    nullable: true,
    minimum: 0,
    maximum: MAX_AGE,
    example: 30,
  })
  @nullable
  @IsInt()
  @Min(0)
  @Max(MAX_AGE)
  suspectAge?: number | null;
  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean() domesticAbuse?: boolean;
  @ApiPropertyOptional({
    enum: HATE_STRANDS,
    isArray: true,
    example: [],
    description: 'perceived hostility strands; non-empty = hate crime',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(HATE_STRANDS, { each: true })
  hateStrands?: HateStrand[];
  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  childSexualExploitation?: boolean;
  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean() childSexualAbuse?: boolean;
}

const date = (v: string | null | undefined): Date | null | undefined =>
  v === undefined ? undefined : v === null ? null : new Date(v);

// Only the fields present in the body: absent = unchanged, null = cleared.
const NOT_NULLABLE = [
  'reportedAt',
  'recordedAt',
  'offenceFrom',
  'onlineFlag',
  'victimSex',
  'domesticAbuse',
  'hateStrands',
  'childSexualExploitation',
  'childSexualAbuse',
] as const;

export function factsFromDto(dto: Partial<CrimeFieldsDto>): Partial<RecordedFacts> {
  const nulls = NOT_NULLABLE.filter((k) => dto[k] === null);
  if (nulls.length > 0) throw new BadRequestException(`${nulls.join(', ')} cannot be null`);
  const out: Partial<RecordedFacts> = {
    reportedAt: date(dto.reportedAt) ?? undefined,
    recordedAt: date(dto.recordedAt) ?? undefined,
    offenceFrom: date(dto.offenceFrom) ?? undefined,
    offenceTo: date(dto.offenceTo),
    onlineFlag: dto.onlineFlag,
    onlineMethod: dto.onlineMethod,
    onlinePlatform: dto.onlinePlatform,
    victimAge: dto.victimAge,
    victimSex: dto.victimSex,
    suspectAge: dto.suspectAge,
    domesticAbuse: dto.domesticAbuse,
    hateStrands: dto.hateStrands,
    childSexualExploitation: dto.childSexualExploitation,
    childSexualAbuse: dto.childSexualAbuse,
  };
  // A loop, not fromEntries over entries: this runs for every create and amendment.
  const defined: Record<string, unknown> = {};
  for (const k of Object.keys(out)) {
    const v = out[k as keyof RecordedFacts];
    if (v !== undefined) defined[k] = v;
  }
  return defined as Partial<RecordedFacts>;
}
