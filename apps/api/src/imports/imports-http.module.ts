import { Module } from '@nestjs/common';

// HTTP surface for imports: controllers and their providers are registered here.
@Module({})
export class ImportsHttpModule {}
