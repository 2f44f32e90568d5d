// class-transformer's metadata (its @Transform, @Type, @Expose and @Exclude decorators), as its own
// plainToInstance reads it; @nestjs/mapped-types reads the same module. The package declares no types for it.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  export const defaultMetadataStorage: MetadataStorage;
}
declare module 'class-transformer/cjs/constants/default-options.constant.js' {
  import type { ClassTransformOptions } from 'class-transformer';
  export const defaultOptions: ClassTransformOptions;
}
