import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RecordingRulesModule } from '#libs/recording-rules';
import { ScopedDb } from '#libs/persistence';
import { Crime } from './crime.entity.js';
import { CrimeHistory } from './crime-history.entity.js';
import { CrimeAmendmentService } from './crime-amendment.service.js';
import { CrimeQueryService } from './crime-query.service.js';
import { CrimeCreateBatcher } from './crime-create-batcher.js';
import { CrimeAmendBatcher } from './crime-amend-batcher.js';
import { CrimeWriteBatcher } from './crime-write-batcher.js';
import { CrimeReadBatcher } from './crime-read-batcher.js';
import { RecentCrimes } from './crime-recent.js';
import { CrimePageReader } from './crime-page-reader.js';
import { CrimeViews } from './crime-views.js';
import { CrimeRecordingService } from './crime-recording.service.js';
import { CrimeRemovalService } from './crime-removal.service.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeStore } from './crime-store.js';
import { CrimeBulkService } from './crime-bulk.service.js';
import { CrimeIncidents } from './crime-incident.js';
import { CrimeValidationService } from './crime-validation.service.js';
import { ReportedIncidentService } from './reported-incident.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Crime, CrimeHistory]), RecordingRulesModule],
  providers: [
    ScopedDb,
    CrimeStore,
    CrimeRuleChecker,
    CrimeIncidents,
    CrimeCreateBatcher,
    CrimeAmendBatcher,
    CrimeWriteBatcher,
    CrimeReadBatcher,
    RecentCrimes,
    CrimePageReader,
    CrimeViews,
    CrimeRecordingService,
    CrimeAmendmentService,
    CrimeRemovalService,
    CrimeQueryService,
    CrimeValidationService,
    CrimeBulkService,
    ReportedIncidentService,
  ],
  exports: [
    CrimeCreateBatcher,
    CrimeRecordingService,
    CrimeAmendmentService,
    CrimeRemovalService,
    CrimeQueryService,
    CrimeValidationService,
    CrimeBulkService,
    ReportedIncidentService,
  ],
})
export class CrimesModule {}
