import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, validateSync } from 'class-validator';

// The one place that reads process.env (style.md §14). Boot fails fast on bad config.
export class Env {
  @IsOptional() @IsString() DATABASE_URL?: string;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) PORT = 3000;
  // Embedded PostgreSQL keeps its data here when DATABASE_URL is not set.
  @IsString() DATA_DIR = './data';
  @Type(() => Number) @IsInt() @Min(1) @Max(100) DB_POOL_SIZE = 10;
  @IsIn(['json', 'text']) LOG_FORMAT: 'json' | 'text' = 'text';
  @IsIn(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' = 'development';
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const env = plainToInstance(Env, source, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  if (errors.length > 0) {
    const msg = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ');
    throw new Error(`invalid environment: ${msg}`);
  }
  if (env.DATABASE_URL === '') env.DATABASE_URL = undefined;
  return env;
}
