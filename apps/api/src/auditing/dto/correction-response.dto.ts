import { ApiProperty } from '@nestjs/swagger';
import { CrimeResponseDto } from '../../crimes/dto/crime-response.dto.js';
import { ReviewItemResponseDto } from './review-item-response.dto.js';

export class CorrectionResponseDto {
  @ApiProperty({ type: ReviewItemResponseDto, description: 'the item, now corrected' })
  item: ReviewItemResponseDto;
  @ApiProperty({ type: CrimeResponseDto, description: 'the amended record' })
  crime: CrimeResponseDto;
}
