import { Module } from '@nestjs/common';
import { CatalogueModule } from '#libs/catalogue';
import { CrimesModule } from '#libs/crimes';
import { RecordingRulesModule } from '#libs/recording-rules';
import { AuthPagesController } from './auth-pages.controller.js';
import { RecordsController } from './records.controller.js';

// The browser interface: pages over the same library services as the API, in the same process.
@Module({
  imports: [CrimesModule, CatalogueModule, RecordingRulesModule],
  controllers: [AuthPagesController, RecordsController],
})
export class WebModule {}
