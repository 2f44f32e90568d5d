import { Global, Module } from '@nestjs/common';
import { Catalogue } from './catalogue.js';

// The reference catalogue is read-only data shipped with the code; one instance serves the app.
@Global()
@Module({ providers: [{ provide: Catalogue, useValue: new Catalogue() }], exports: [Catalogue] })
export class CatalogueModule {}
