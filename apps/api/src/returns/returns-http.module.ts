import { Module } from '@nestjs/common';

// HTTP surface for returns: controllers and their providers are registered here.
@Module({})
export class ReturnsHttpModule {}
