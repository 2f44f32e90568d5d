import { ApiProperty } from '@nestjs/swagger';
import type { HistoryEntryView } from '#libs/crimes';
import { DateTime, Nullable } from '../../http/openapi.js';

// old and new are any JSON value: a schema with no type says so.
const FIELD_CHANGE = {
  type: 'object',
  properties: {
    old: { description: 'the value before; null when unset', nullable: true },
    new: { description: 'the value after; null when cleared', nullable: true },
  },
  required: ['old', 'new'],
};

export class HistoryEntryResponseDto implements HistoryEntryView {
  @ApiProperty() version: number;
  @ApiProperty({
    enum: ['created', 'amended', 'reclassified', 'confirmed', 'cancelled', 'transferred'],
  })
  action: HistoryEntryView['action'];
  @ApiProperty(Nullable(String)) reason: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: FIELD_CHANGE,
    description: 'field name → its old and new value',
  })
  changes: HistoryEntryView['changes'];
  @ApiProperty(DateTime()) changedAt: Date;
  @ApiProperty() changedBy: string;
}
