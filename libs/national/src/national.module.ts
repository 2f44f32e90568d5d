import { Module, type DynamicModule } from '@nestjs/common';
import { ScopedDb } from '#libs/persistence';
import { NationalReturnService } from './national-return.service.js';
import {
  defaultPublicationConfig,
  PUBLICATION_CONFIG,
  type PublicationConfig,
} from './publication/publication-config.js';
import { PublicationService } from './publication/publication.service.js';

// Catalogue and the access log are global modules; the DataSource comes from the app's TypeORM root.
@Module({})
export class NationalModule {
  static register(config: Partial<PublicationConfig> = {}): DynamicModule {
    return {
      module: NationalModule,
      providers: [
        ScopedDb,
        { provide: PUBLICATION_CONFIG, useValue: { ...defaultPublicationConfig, ...config } },
        NationalReturnService,
        PublicationService,
      ],
      exports: [NationalReturnService, PublicationService],
    };
  }
}
