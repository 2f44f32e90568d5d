import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { availableParallelism } from 'node:os';

// The one place that reads process.env (style.md §14). Boot fails fast on bad config.
export class Env {
  // A real server: the owner, which runs the migrations; and the app's own unprivileged login role (issue #18).
  @IsOptional() @IsString() DATABASE_URL?: string;
  @IsOptional() @IsString() DATABASE_APP_URL?: string;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) PORT = 3000;
  // The address to listen on: loopback unless asked (the Docker image sets 0.0.0.0), so a developer's
  // `npm start` is not reachable from the network (issue #18 finding 11).
  @Matches(/^[A-Za-z0-9.:-]{1,253}$/, {
    message: 'HOST must be an IP address or host name, such as 127.0.0.1 or 0.0.0.0',
  })
  HOST = '127.0.0.1';
  // Embedded PostgreSQL keeps its data here when DATABASE_URL is not set.
  @IsString() DATA_DIR = './data';
  @Type(() => Number) @IsInt() @Min(1) @Max(100) DB_POOL_SIZE = 10;
  // How long a request waits for a free pool connection (or a new one to connect) before a 503: never a hang.
  @Type(() => Number) @IsInt() @Min(100) @Max(60_000) DB_POOL_TIMEOUT_MS = 5000;
  // How long SIGTERM waits for in-flight requests after cancelling running imports, before closing connections.
  @Type(() => Number) @IsInt() @Min(0) @Max(600_000) SHUTDOWN_TIMEOUT_MS = 10_000;
  @IsOptional() @IsString() @MinLength(32) JWT_SECRET?: string;
  // The access log's HMAC key, kept out of the database (on the embedded database a key file in DATA_DIR).
  @IsOptional() @IsString() @MinLength(32) ACCESS_LOG_KEY?: string;
  // Where signed checkpoints of the access log's head are written (default: DATA_DIR).
  @IsOptional() @IsString() ACCESS_LOG_CHECKPOINT_DIR?: string;
  @Type(() => Number) @IsInt() @Min(60) @Max(3600) ACCESS_TOKEN_TTL_SECONDS = 900;
  @Type(() => Number) @IsInt() @Min(300) @Max(7 * 24 * 3600) REFRESH_TOKEN_TTL_SECONDS = 8 * 3600;
  // How long a checked session is trusted without reading the database (0 = every request reads it). Sign-out,
  // deactivation and role changes still end it at once: every process listens for them (libs/auth session-cache.ts).
  @Type(() => Number) @IsInt() @Min(0) @Max(60_000) AUTH_SESSION_CACHE_MS = 5000;
  // Create demo users per role on an empty embedded database (npm start with no DATABASE_URL).
  @IsIn(['true', 'false']) DEMO_USERS: 'true' | 'false' = 'true';
  // Synthetic crimes imported into an empty embedded database at start (0 = none).
  @Type(() => Number) @IsInt() @Min(0) @Max(2_000_000) DEMO_RECORDS = 20_000;
  // Share of a year's expected forces (0 to 1) that must be accepted to publish without acknowledging
  // each missing force (POST /national/:year/publications acknowledgeMissingForces). 1 = all of them.
  @Type(() => Number) @IsNumber() @Min(0) @Max(1) PUBLICATION_MIN_COVERAGE = 1;
  // Processes serving requests: a number, or `auto` (one per core). 1 (the default): the app is one process. More:
  // a primary starts the database and runs the migrations once, then forks that many workers sharing PORT.
  @Matches(/^(auto|[1-9][0-9]?)$/, { message: 'WORKERS must be auto or a number from 1 to 99' })
  WORKERS = '1';
  @IsIn(['json', 'text']) LOG_FORMAT: 'json' | 'text' = 'text';
  @IsIn(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' =
    'development';
}

export function workerCount(env: Env): number {
  return env.WORKERS === 'auto' ? availableParallelism() : Number(env.WORKERS);
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const env = plainToInstance(Env, source, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  if (errors.length > 0) {
    const msg = errors
      .map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`)
      .join('; ');
    throw new Error(`invalid environment: ${msg}`);
  }
  if (env.DATABASE_URL === '') env.DATABASE_URL = undefined;
  if (env.DATABASE_APP_URL === '') env.DATABASE_APP_URL = undefined;
  return env;
}
