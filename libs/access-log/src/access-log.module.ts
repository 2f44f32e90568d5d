import { Global, Module } from '@nestjs/common';
import { ScopedDb } from '#libs/persistence';
import { AccessLogService } from './access-log.service.js';

@Global()
@Module({ providers: [ScopedDb, AccessLogService], exports: [AccessLogService] })
export class AccessLogModule {}
