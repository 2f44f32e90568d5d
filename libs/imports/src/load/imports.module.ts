import { Module } from '@nestjs/common';
import { RecordingRulesModule } from '#libs/recording-rules';
import { ImportJobs } from './import-jobs.js';
import { ImportReports } from './import-reports.js';
import { ImportService } from './import.service.js';
import { ScopedDb } from '#libs/persistence';

@Module({
  imports: [RecordingRulesModule],
  providers: [ScopedDb, ImportJobs, ImportService, ImportReports],
  exports: [ImportJobs, ImportService, ImportReports],
})
export class ImportsModule {}
