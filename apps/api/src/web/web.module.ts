import { Module, type DynamicModule } from '@nestjs/common';
import { AuditingModule } from '#libs/auditing';
import { CatalogueModule } from '#libs/catalogue';
import { CrimesModule } from '#libs/crimes';
import { ImportsModule } from '#libs/imports';
import { ScopedDb } from '#libs/persistence';
import { RecordingRulesModule } from '#libs/recording-rules';
import { ReturnsLifecycleModule } from '#libs/returns';
import { NationalModule, type PublicationConfig } from '#libs/national';
import { AuditFiguresPageController } from './audit/audit-figures.page.js';
import { AccessLogPageController } from './audit/access-log.page.js';
import { ReviewQueuePageController } from './audit/review-queue.page.js';
import { AuditsPageController } from './audit/audits.page.js';
import { AuthPagesController } from './auth-pages.controller.js';
import { RecordsController } from './records.controller.js';
import { N100PageController } from './n100.page.js';
import { NationalPagesController } from './national/national-pages.controller.js';
import { PublicationPagesController } from './national/publication-pages.controller.js';
import { YearTrackerController } from './returns/year-tracker.controller.js';
import { ReturnPagesController } from './returns/return-pages.controller.js';
import { UploadsController } from './uploads.controller.js';

// The browser interface: pages over the same library services as the API, in the same process (and with the same
// publication settings as the API's national module).
@Module({})
export class WebModule {
  static register(publication: Partial<PublicationConfig> = {}): DynamicModule {
    return {
      module: WebModule,
      imports: [
        CrimesModule,
        CatalogueModule,
        RecordingRulesModule,
        ImportsModule,
        ReturnsLifecycleModule,
        NationalModule.register(publication),
        AuditingModule.register(),
      ],
      controllers: [
        AuthPagesController,
        RecordsController,
        UploadsController,
        ReturnPagesController,
        NationalPagesController,
        PublicationPagesController,
        YearTrackerController,
        AuditFiguresPageController,
        AuditsPageController,
        AccessLogPageController,
        ReviewQueuePageController,
        N100PageController,
      ],
      providers: [ScopedDb],
    };
  }
}
