import { Module, type DynamicModule } from '@nestjs/common';
import { NationalModule, type PublicationConfig } from '#libs/national';
import { NationalController } from './national.controller.js';

// HTTP surface for national figures and publications.
@Module({})
export class NationalHttpModule {
  static register(config: Partial<PublicationConfig> = {}): DynamicModule {
    return {
      module: NationalHttpModule,
      imports: [NationalModule.register(config)],
      controllers: [NationalController],
    };
  }
}
