import { Module, type DynamicModule } from '@nestjs/common';
import { CrimesModule } from '#libs/crimes';
import { ScopedDb } from '#libs/persistence';
import { AUDITING_CONFIG, defaultAuditingConfig, type AuditingConfig } from './auditing-config.js';
import { AuditsService } from './audits/audits.service.js';
import { CompletenessService } from './completeness/completeness.service.js';
import { ReviewCorrectionService } from './review-queue/review-correction.service.js';
import { ReviewQueueService } from './review-queue/review-queue.service.js';
import { UnderUseService } from './under-use/under-use.service.js';

const SERVICES = [
  CompletenessService,
  UnderUseService,
  ReviewQueueService,
  ReviewCorrectionService,
  AuditsService,
];

// The auditor workspace. Corrections reuse the crimes amendment path (CrimesModule).
@Module({})
export class AuditingModule {
  static register(config: Partial<AuditingConfig> = {}): DynamicModule {
    return {
      module: AuditingModule,
      imports: [CrimesModule],
      providers: [
        ScopedDb,
        { provide: AUDITING_CONFIG, useValue: { ...defaultAuditingConfig, ...config } },
        ...SERVICES,
      ],
      exports: SERVICES,
    };
  }
}
