import { ApiProperty } from '@nestjs/swagger';
import type { CellChange, RevisionDiff } from '#libs/returns';
import { ReturnStatusResponseDto } from './return-status-response.dto.js';

// old and new are cells of any JSON type: their schemas have no type.
const CELL_CHANGE = {
  type: 'object',
  properties: {
    path: { type: 'string', example: 'tableA.rows[offence 8L].flagYes' },
    old: { description: 'null when the cell did not exist', nullable: true },
    new: { description: 'null when the cell no longer exists', nullable: true },
  },
  required: ['path', 'old', 'new'],
};

export class RevisionDiffResponseDto implements RevisionDiff {
  @ApiProperty() forceId: string;
  @ApiProperty() year: string;
  @ApiProperty({ type: ReturnStatusResponseDto }) status: ReturnStatusResponseDto;
  @ApiProperty({ description: 'the older revision (b)' }) from: number;
  @ApiProperty({ description: 'the newer revision (a)' }) to: number;
  @ApiProperty({ type: 'array', items: CELL_CHANGE }) changes: CellChange[];
}
