import { Module } from '@nestjs/common';
import { AuditingModule } from '#libs/auditing';
import { AuditFiguresController } from './audit-figures.controller.js';
import { AuditsController } from './audits.controller.js';
import { ReviewQueueController } from './review-queue.controller.js';

// HTTP surface for auditing: controllers and their providers are registered here.
@Module({
  imports: [AuditingModule.register()],
  controllers: [AuditFiguresController, ReviewQueueController, AuditsController],
})
export class AuditingHttpModule {}
