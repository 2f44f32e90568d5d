// bench:floor's minimal Nest servers (not part of the app): one POST /crimes route on NestJS, on Express or on
// Fastify, with what any NestJS service of this API would run per create and nothing else: a global guard that
// verifies the HS256 access token (@nestjs/jwt), the global ValidationPipe with the app's own CreateCrimeDto
// (whitelist, forbidNonWhitelisted, transform), and the app's batched create statement (bareCreateRows) with
// the app's batching. No helmet, cookies, sessions, recording rules, access-context or view mapping. It tells
// what the framework and its HTTP platform cost here, apart from what the app adds on top.
import 'reflect-metadata';
import { createSecretKey } from 'node:crypto';
import {
  Body,
  Controller,
  Injectable,
  Module,
  Post,
  UnauthorizedException,
  ValidationPipe,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import pg from 'pg';
import { CreateCrimeDto } from '../apps/api/src/crimes/dto/create-crime.dto.js';
import { createBatcher } from './api-support.js';

export const FLOOR_JWT_SECRET = 'bench-floor-secret-not-a-secret-0123456789';
// A KeyObject made once, as AuthService.verifyAccessToken does: given a string, jsonwebtoken tries a public key
// first (which throws) on every verification.
const jwt = new JwtService({
  secret: createSecretKey(Buffer.from(FLOOR_JWT_SECRET, 'utf8')) as unknown as Buffer,
  verifyOptions: { algorithms: ['HS256'] },
});

export function floorToken(): string {
  return jwt.sign({ sub: 'bench-floor' }, { algorithm: 'HS256', expiresIn: 3600 });
}

@Injectable()
class TokenGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    const header = req.headers.authorization ?? '';
    try {
      jwt.verify(header.startsWith('Bearer ') ? header.slice(7) : '');
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}

export async function serveNestFloor(
  platform: 'express' | 'fastify',
  dbUrl: string,
  port: number,
): Promise<void> {
  const { write } = createBatcher(new pg.Pool({ connectionString: dbUrl, max: 10 }), 'bench-floor');

  @Controller('crimes')
  class FloorCrimes {
    @Post()
    create(@Body() dto: CreateCrimeDto): Promise<Record<string, unknown>> {
      return write({ ...dto });
    }
  }

  @Module({ controllers: [FloorCrimes], providers: [{ provide: APP_GUARD, useClass: TokenGuard }] })
  class FloorModule {}

  const app =
    platform === 'fastify'
      ? await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(FloorModule, new ExpressAdapter(), { logger: false });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  await app.listen(port, '127.0.0.1');
}
