import { Module } from '@nestjs/common';
import { CatalogueModule } from '#libs/catalogue';
import { CrimesModule } from '#libs/crimes';
import { ImportsModule } from '#libs/imports';
import { RecordingRulesModule } from '#libs/recording-rules';
import { AuthPagesController } from './auth-pages.controller.js';
import { RecordsController } from './records.controller.js';
import { UploadsController } from './uploads.controller.js';

// The browser interface: pages over the same library services as the API, in the same process.
@Module({
  imports: [CrimesModule, CatalogueModule, RecordingRulesModule, ImportsModule],
  controllers: [AuthPagesController, RecordsController, UploadsController],
})
export class WebModule {}
