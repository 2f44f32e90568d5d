import { Module } from '@nestjs/common';
import { ReturnsLifecycleModule } from '#libs/returns';
import { ReturnYearController } from './return-year.controller.js';
import { ReturnsController } from './returns.controller.js';

// HTTP surface for returns: controllers and their providers are registered here.
@Module({
  imports: [ReturnsLifecycleModule],
  controllers: [ReturnsController, ReturnYearController],
})
export class ReturnsHttpModule {}
