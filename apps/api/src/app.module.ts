import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DevIdentityGuard } from '#libs/auth';
import { CatalogueModule } from '#libs/catalogue';
import { typeormOptions } from '#libs/persistence';
import { RecordingRulesModule } from '#libs/recording-rules';
import { CatalogueController } from './catalogue/catalogue.controller.js';
import { CrimesHttpModule } from './crimes/crimes-http.module.js';
import { HealthController } from './health/health.controller.js';
import { DomainErrorFilter } from './http/domain-error.filter.js';
import { RulesController } from './rules/rules.controller.js';

export interface AppOptions {
  databaseUrl: string;
  poolSize?: number;
}

// Pipes, filters and guards are providers, so the e2e app built from AppModule gets the production pipeline.
@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({ ...typeormOptions({ url: opts.databaseUrl, poolSize: opts.poolSize }), autoLoadEntities: true }),
        TerminusModule,
        CatalogueModule,
        RecordingRulesModule,
        CrimesHttpModule,
      ],
      controllers: [HealthController, CatalogueController, RulesController],
      providers: [
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
        },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        { provide: APP_GUARD, useClass: DevIdentityGuard },
      ],
    };
  }
}
