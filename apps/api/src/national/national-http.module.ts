import { Module } from '@nestjs/common';
import { NationalModule } from '#libs/national';
import { NationalController } from './national.controller.js';

// HTTP surface for national: controllers and their providers are registered here.
@Module({ imports: [NationalModule], controllers: [NationalController] })
export class NationalHttpModule {}
