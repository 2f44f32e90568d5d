import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  REVIEW_REASONS,
  REVIEW_STATUSES,
  type ReviewDecision,
  type ReviewReason,
  type ReviewStatus,
} from '#libs/auditing';
import { CrimeFieldsDto } from '../../crimes/dto/crime-fields.dto.js';
import { IsForceId, IsOneOf, IsReason, IsUsername, IsWholeNumber } from '../../http/validation.js';
import { Year } from './audit-figures.dto.js';

export class RefreshQueueQueryDto {
  @IsForceId(true) force?: string;
  @Year() year: string;
}

export class ReviewQueueQueryDto {
  @IsForceId(true) force?: string;
  @IsOneOf(REVIEW_STATUSES, true) status?: ReviewStatus;
  @IsOneOf(REVIEW_REASONS, true) reason?: ReviewReason;
  @Year(true) year?: string;
  @IsUsername('only items added by this user (by hand, or by refreshing the queue)', true)
  addedBy?: string;
  @IsWholeNumber('limit', 1, 1000, { default: 100 }) limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
  @IsOneOf(['json', 'csv'], true) format?: 'json' | 'csv';
}

export class AddReviewItemDto {
  @ApiProperty({ format: 'uuid', description: 'the record to review' }) @IsUUID() crimeId: string;
  @IsReason('why the auditor doubts the flag') note: string;
}

const DECISIONS: readonly ReviewDecision[] = ['open', 'confirmed_correct', 'referred'];

export class ReviewItemDecisionDto {
  @ApiProperty({
    example: 1,
    minimum: 1,
    description: 'the item version you read (optimistic locking)',
  })
  @IsInt()
  @Min(1)
  version: number;
  @IsOneOf(DECISIONS) status: ReviewDecision;
  @IsReason("the reviewer's note") note: string;
}

class CorrectionChangesDto extends PartialType(CrimeFieldsDto) {}

export class CorrectReviewItemDto {
  @ApiProperty({
    example: 1,
    minimum: 1,
    description: "the crime's version you read (optimistic locking)",
  })
  @IsInt()
  @Min(1)
  version: number;
  @IsReason('why the record is corrected (kept in its history)') reason: string;
  @ApiProperty({
    type: CorrectionChangesDto,
    description: 'the fields to change, as in PATCH /crimes/:id',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => CorrectionChangesDto)
  changes: CorrectionChangesDto;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  acknowledge?: string[];
}
