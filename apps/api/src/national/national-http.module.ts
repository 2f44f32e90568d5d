import { Module } from '@nestjs/common';

// HTTP surface for national: controllers and their providers are registered here.
@Module({})
export class NationalHttpModule {}
