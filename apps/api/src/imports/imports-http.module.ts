import { Module } from '@nestjs/common';
import { ImportsModule } from '#libs/imports';
import { ImportsController } from './imports.controller.js';

// HTTP surface for bulk imports.
@Module({ imports: [ImportsModule], controllers: [ImportsController] })
export class ImportsHttpModule {}
