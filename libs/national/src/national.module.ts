import { Module } from '@nestjs/common';
import { ScopedDb } from '#libs/persistence';
import { NationalReturnService } from './national-return.service.js';
import { PublicationService } from './publication/publication.service.js';

// Catalogue and the access log are global modules; the DataSource comes from the app's TypeORM root.
@Module({
  providers: [ScopedDb, NationalReturnService, PublicationService],
  exports: [NationalReturnService, PublicationService],
})
export class NationalModule {}
