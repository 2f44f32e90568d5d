import { ApiProperty } from '@nestjs/swagger';
import type { AuditView, MeasureResult } from '#libs/auditing';
import { DateTime, FreeForm, Nullable } from '../../http/openapi.js';
import { SampledRecordResponseDto } from './sampled-record-response.dto.js';

class AuditPeriodDto {
  @ApiProperty({ example: '2017-18' }) label: string;
  @ApiProperty(DateTime()) start: Date;
  @ApiProperty(DateTime('exclusive')) end: Date;
}

class StratumDto {
  @ApiProperty() stratum: string;
  @ApiProperty() populationSize: number;
  @ApiProperty() sampleSize: number;
}

class ProgressDto {
  @ApiProperty() sampled: number;
  @ApiProperty() withVerdict: number;
  @ApiProperty() pending: number;
}

const MEASURE =
  'accuracy by stratum and overall, with 95% Wilson intervals (overall: null until every sampled stratum has a decided verdict)';

class AuditResultsDto {
  @ApiProperty(FreeForm(MEASURE)) flag: MeasureResult;
  @ApiProperty(FreeForm(MEASURE)) classification: MeasureResult;
  @ApiProperty() note: string;
}

export class AuditResponseDto implements AuditView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() forceId: string;
  @ApiProperty({ type: AuditPeriodDto }) period: AuditPeriodDto;
  @ApiProperty({ type: [String] }) offenceGroups: string[];
  @ApiProperty({
    oneOf: [
      { type: 'object', properties: { sampleSize: { type: 'integer' } }, required: ['sampleSize'] },
      {
        type: 'object',
        properties: { targetMargin: { type: 'number' } },
        required: ['targetMargin'],
      },
    ],
    description: 'what the sample size was derived from',
  })
  sizeBasis: AuditView['sizeBasis'];
  @ApiProperty({ description: 'reproduces the draw' }) seed: string;
  @ApiProperty() populationSize: number;
  @ApiProperty() sampleSize: number;
  @ApiProperty({ enum: ['open', 'closed'] }) status: AuditView['status'];
  @ApiProperty(DateTime()) createdAt: Date;
  @ApiProperty() createdBy: string;
  @ApiProperty(DateTime(undefined, true)) closedAt: Date | null;
  @ApiProperty(Nullable(String)) closedBy: string | null;
  @ApiProperty({ type: [StratumDto] }) strata: StratumDto[];
  @ApiProperty({ type: [SampledRecordResponseDto] }) sample: SampledRecordResponseDto[];
  @ApiProperty({ type: ProgressDto }) progress: ProgressDto;
  @ApiProperty({ type: AuditResultsDto }) results: AuditResultsDto;
}
