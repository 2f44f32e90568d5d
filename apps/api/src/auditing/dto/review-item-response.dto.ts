import { ApiProperty } from '@nestjs/swagger';
import {
  REVIEW_REASONS,
  REVIEW_STATUSES,
  type ReviewItemView,
  type ReviewReason,
  type ReviewStatus,
} from '#libs/auditing';
import { DateTime, FreeForm, Nullable } from '../../http/openapi.js';

type ReviewedCrime = ReviewItemView['crime'];

class ReviewedCrimeDto implements ReviewedCrime {
  @ApiProperty() crimeReference: string;
  @ApiProperty() offenceCode: string;
  @ApiProperty() financialYear: string;
  @ApiProperty(DateTime()) recordedAt: Date;
  @ApiProperty({ enum: ['yes', 'no', 'unknown'] }) onlineFlag: string;
  @ApiProperty(Nullable(String)) onlineMethod: string | null;
  @ApiProperty() status: string;
  @ApiProperty({ description: "the crime's version: what a correction sends" }) version: number;
  @ApiProperty({ type: [String] }) ruleWarnings: string[];
}

export class ReviewItemResponseDto implements ReviewItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() forceId: string;
  @ApiProperty({ format: 'uuid' }) crimeId: string;
  @ApiProperty({ enum: REVIEW_REASONS }) reason: ReviewReason;
  @ApiProperty(FreeForm('what the rule found')) details: Record<string, unknown>;
  @ApiProperty(Nullable(String)) addedNote: string | null;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: ReviewStatus;
  @ApiProperty(Nullable(String)) reviewNote: string | null;
  @ApiProperty(DateTime(undefined, true)) reviewedAt: Date | null;
  @ApiProperty(Nullable(String)) reviewedBy: string | null;
  @ApiProperty(Nullable('integer', 'the crime version the correction made')) correctedVersion:
    number | null;
  @ApiProperty({ description: "the item's version (optimistic locking)" }) version: number;
  @ApiProperty(DateTime()) createdAt: Date;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: ReviewedCrimeDto }) crime: ReviewedCrimeDto;
}
