import { Module } from '@nestjs/common';
import { ReturnsLifecycleModule } from '#libs/returns';
import { ReturnsController } from './returns.controller.js';

// HTTP surface for returns: controllers and their providers are registered here.
@Module({ imports: [ReturnsLifecycleModule], controllers: [ReturnsController] })
export class ReturnsHttpModule {}
