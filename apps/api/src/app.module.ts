import { Module, type DynamicModule, type ValidationPipeOptions } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessLogModule, type AccessLogChainConfig } from '#libs/access-log';
import { AuthModule, JwtAuthGuard, type AuthConfig } from '#libs/auth';
import { CatalogueModule } from '#libs/catalogue';
import { ImportsModule } from '#libs/imports';
import type { PublicationConfig } from '#libs/national';
import { LeastPrivilegeCheck, ScopedDb, typeormOptions } from '#libs/persistence';
import { RecordingRulesModule } from '#libs/recording-rules';
import { FIGURES_COMPACTION } from '#libs/returns';
import { AccessLogController } from './access-log/access-log.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { CatalogueController } from './catalogue/catalogue.controller.js';
import { AuditingHttpModule } from './auditing/auditing-http.module.js';
import { CrimesHttpModule } from './crimes/crimes-http.module.js';
import { ImportsHttpModule } from './imports/imports-http.module.js';
import { NationalHttpModule } from './national/national-http.module.js';
import { ReturnsHttpModule } from './returns/returns-http.module.js';
import { HealthController } from './health/health.controller.js';
import { WebModule } from './web/web.module.js';
import { validationException } from './http/validation-errors.js';
import { DomainErrorFilter } from './http/domain-error.filter.js';
import { InputSafetyPipe } from './http/input-safety.pipe.js';
import { PlannedValidationPipe } from './http/planned-validation.pipe.js';
import { GracefulShutdown, SHUTDOWN_TIMEOUT_MS } from './http/graceful-shutdown.js';
import { RulesController } from './rules/rules.controller.js';
import { UsersController } from './users/users.controller.js';

export interface AppOptions {
  databaseUrl: string;
  poolSize?: number;
  poolTimeoutMs?: number;
  // SIGTERM: how long to wait for requests in flight (after cancelling imports) before closing their connections.
  shutdownTimeoutMs?: number;
  auth: AuthConfig;
  publication?: Partial<PublicationConfig>;
  // The access log's key and checkpoint folder; sealIntervalMs 0 = no background sealer (commands).
  accessLog: AccessLogChainConfig & { sealIntervalMs?: number };
  // The polling background jobs (access-log sealer, figures compactor); default on. With several workers only one
  // process runs them (main.ts); their advisory locks still keep an overlap safe.
  backgroundJobs?: boolean;
}

// The one ValidationPipe's options (planned-validation.pipe.spec.ts compares the pipe with Nest's under them).
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: validationException,
};

// Global, so the libraries' job services (FiguresCompactor) see it wherever they are provided.
@Module({})
class BackgroundJobsModule {
  static register(on: boolean): DynamicModule {
    return {
      module: BackgroundJobsModule,
      global: true,
      providers: [{ provide: FIGURES_COMPACTION, useValue: on }],
      exports: [FIGURES_COMPACTION],
    };
  }
}

// Pipes, filters and guards are providers, so the e2e app built from AppModule gets the production pipeline.
// databaseUrl is the app's own login role, a member of cyberflag_app (neither owner nor superuser), so row-level
// security applies to every query it makes; LeastPrivilegeCheck refuses to start otherwise (issue #18 finding 7).
@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...typeormOptions({
            url: opts.databaseUrl,
            poolSize: opts.poolSize,
            poolTimeoutMs: opts.poolTimeoutMs ?? 5000,
          }),
          autoLoadEntities: true,
        }),
        TerminusModule,
        AuthModule.register(opts.auth),
        BackgroundJobsModule.register(opts.backgroundJobs ?? true),
        AccessLogModule.register(
          opts.backgroundJobs === false ? { ...opts.accessLog, sealIntervalMs: 0 } : opts.accessLog,
        ),
        CatalogueModule,
        RecordingRulesModule,
        CrimesHttpModule,
        ImportsModule,
        ImportsHttpModule,
        ReturnsHttpModule,
        NationalHttpModule.register(opts.publication),
        AuditingHttpModule,
        WebModule.register(opts.publication),
      ],
      controllers: [
        HealthController,
        AuthController,
        UsersController,
        AccessLogController,
        CatalogueController,
        RulesController,
      ],
      providers: [
        LeastPrivilegeCheck,
        ScopedDb,
        GracefulShutdown,
        { provide: SHUTDOWN_TIMEOUT_MS, useValue: opts.shutdownTimeoutMs ?? 10_000 },
        // First: NUL characters and deep nesting are refused before the ValidationPipe recurses over the input.
        { provide: APP_PIPE, useClass: InputSafetyPipe },
        {
          provide: APP_PIPE,
          useValue: new PlannedValidationPipe(VALIDATION_OPTIONS),
        },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}
