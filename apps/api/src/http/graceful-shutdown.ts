import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from 'node:http';
import { ImportService } from '#libs/imports';
import { RETRY_AFTER_SECONDS } from './domain-error.filter.js';

export const SHUTDOWN_TIMEOUT_MS = Symbol('SHUTDOWN_TIMEOUT_MS');

// SIGTERM or SIGINT (main.ts calls app.close(signal)), in the order a clean stop needs (issue #18 finding 10):
// 1. stop accepting: the server stops listening, and a request arriving on an open connection gets a 503;
// 2. cancel in-flight imports: each rolls back, its job is marked failed with the reason, and its request
//    answers 503 (send the file again), not a 500 from a pool closed under it;
// 3. let other in-flight requests finish (up to the timeout), then close the remaining connections.
// Nest then closes the HTTP server, and TypeORM's pool in its own shutdown hook; main.ts stops an embedded server.
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private draining = false;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly imports: ImportService,
    @Optional() @Inject(SHUTDOWN_TIMEOUT_MS) private readonly timeoutMs: number = 10_000,
  ) {}

  // In configureApp's request hook: counts requests in flight, and refuses new ones (503, answered here) while
  // stopping. False when it answered.
  admit(req: FastifyRequest, reply: FastifyReply): boolean {
    if (this.draining) {
      void reply
        .header('connection', 'close')
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .code(503)
        .send({
          statusCode: 503,
          code: 'UNAVAILABLE',
          message: 'the server is shutting down: try again shortly',
          requestId: String(req.headers['x-request-id'] ?? ''),
        });
      return false;
    }
    this.inFlight++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    };
    reply.raw.once('finish', end);
    reply.raw.once('close', end);
    return true;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.draining = true;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server?.listening) server.close(); // no new connections; Nest's own close waits for this one to end
    server?.closeIdleConnections();
    const cancelled = await this.imports.cancelAll(
      `the server is shutting down${signal ? ` (${signal})` : ''}`,
    );
    if (cancelled > 0) this.logger.warn(`${cancelled} running import(s) cancelled and rolled back`);
    if (this.inFlight > 0) {
      this.logger.log(`waiting for ${this.inFlight} request(s) in flight`);
      const finished = await new Promise<boolean>((done) => {
        const timer = setTimeout(() => done(false), this.timeoutMs);
        this.idle = () => {
          clearTimeout(timer);
          done(true);
        };
      });
      if (!finished)
        this.logger.warn(
          `${this.inFlight} request(s) still running after ${this.timeoutMs} ms: closing their connections`,
        );
    }
    server?.closeAllConnections();
  }
}
