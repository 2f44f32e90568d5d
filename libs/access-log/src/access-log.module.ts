import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ScopedDb } from '#libs/persistence';
import { ACCESS_LOG_CHAIN, type AccessLogChainConfig } from './access-log-key.js';
import { AccessLogSealer } from './access-log-sealer.js';
import { AccessLogService } from './access-log.service.js';

@Global()
@Module({})
export class AccessLogModule {
  // sealIntervalMs: how often the sealer looks for committed entries (0: never in the background).
  static register(chain: AccessLogChainConfig & { sealIntervalMs?: number }): DynamicModule {
    return {
      module: AccessLogModule,
      global: true,
      providers: [
        ScopedDb,
        AccessLogService,
        { provide: ACCESS_LOG_CHAIN, useValue: chain },
        AccessLogSealer,
      ],
      exports: [AccessLogService, ACCESS_LOG_CHAIN, AccessLogSealer],
    };
  }
}
