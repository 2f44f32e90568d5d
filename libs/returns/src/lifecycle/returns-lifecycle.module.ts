import { Module } from '@nestjs/common';
import { ScopedDb } from '#libs/persistence';
import { RecordingRulesModule } from '#libs/recording-rules';
import { RETURNS_CLOCK, type Clock } from './return-access.js';
import { ReturnExportService } from './return-export.service.js';
import { ReturnLifecycleService } from './return-lifecycle.service.js';
import { ReturnRevisionsService } from './return-revisions.service.js';
import { YearTrackerService } from './year-tracker.service.js';
import { FiguresCompactor } from '../figures/figures-compactor.js';

// The return services. The clock is a provider so tests can fix "now" (style.md §13).
@Module({
  imports: [RecordingRulesModule],
  providers: [
    ScopedDb,
    { provide: RETURNS_CLOCK, useValue: ((): Date => new Date()) satisfies Clock },
    ReturnLifecycleService,
    ReturnRevisionsService,
    ReturnExportService,
    YearTrackerService,
    FiguresCompactor,
  ],
  exports: [
    ReturnLifecycleService,
    ReturnRevisionsService,
    ReturnExportService,
    YearTrackerService,
    FiguresCompactor,
  ],
})
export class ReturnsLifecycleModule {}
