import { Module } from '@nestjs/common';
import { CrimesModule } from '#libs/crimes';
import { CrimesController } from './crimes.controller.js';

@Module({ imports: [CrimesModule], controllers: [CrimesController] })
export class CrimesHttpModule {}
