import { Module } from '@nestjs/common';
import { AuditingModule } from '#libs/auditing';
import { CatalogueModule } from '#libs/catalogue';
import { CrimesModule } from '#libs/crimes';
import { ImportsModule } from '#libs/imports';
import { ScopedDb } from '#libs/persistence';
import { RecordingRulesModule } from '#libs/recording-rules';
import { ReturnsLifecycleModule } from '#libs/returns';
import { NationalModule } from '#libs/national';
import { AuditFiguresPageController } from './audit/audit-figures.page.js';
import { AccessLogPageController } from './audit/access-log.page.js';
import { ReviewQueuePageController } from './audit/review-queue.page.js';
import { AuditsPageController } from './audit/audits.page.js';
import { AuthPagesController } from './auth-pages.controller.js';
import { RecordsController } from './records.controller.js';
import { NationalPagesController } from './national/national-pages.controller.js';
import { YearTrackerController } from './returns/year-tracker.controller.js';
import { ReturnPagesController } from './returns/return-pages.controller.js';
import { UploadsController } from './uploads.controller.js';

// The browser interface: pages over the same library services as the API, in the same process.
@Module({
  imports: [CrimesModule, CatalogueModule, RecordingRulesModule, ImportsModule, ReturnsLifecycleModule, NationalModule, AuditingModule.register()],
  controllers: [
    AuthPagesController, RecordsController, UploadsController, ReturnPagesController, NationalPagesController, YearTrackerController,
    AuditFiguresPageController, AuditsPageController, AccessLogPageController, ReviewQueuePageController,
  ],
  providers: [ScopedDb],
})
export class WebModule {}
