import { Module } from '@nestjs/common';
import { CrimesModule } from '#libs/crimes';
import { CrimesController } from './crimes.controller.js';
import { ReportedIncidentsController } from './reported-incidents.controller.js';

@Module({ imports: [CrimesModule], controllers: [CrimesController, ReportedIncidentsController] })
export class CrimesHttpModule {}
