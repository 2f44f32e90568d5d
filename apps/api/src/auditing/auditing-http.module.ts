import { Module } from '@nestjs/common';

// HTTP surface for auditing: controllers and their providers are registered here.
@Module({})
export class AuditingHttpModule {}
