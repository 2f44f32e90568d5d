import { ApiProperty } from '@nestjs/swagger';
import type { RulesConfig } from '#libs/recording-rules';

type Category = RulesConfig['cancellationCategories'][number];

export class CancellationCategoryResponseDto implements Category {
  @ApiProperty({ example: 'C2' }) code: string;
  @ApiProperty({ example: 'Additional verifiable information shows no crime' }) label: string;
  @ApiProperty({ enum: ['cancel', 'transfer'] }) kind: Category['kind'];
}
