import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';

// The app runs on NestJS's Fastify platform (issue #21: the platform was most of a request's cost on Express).
// What the app adds to Fastify's request and reply, in one place.
declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor & { sessionId?: string; accessExpiresAt?: Date | null };
    webPage?: boolean; // a browser page (the guard marks it): errors become pages
  }
  interface FastifyReply {
    // Per response values for the views: the CSP nonce (configureApp), the idle allowance (WebSessions).
    locals: { cspNonce?: string; idleSeconds?: number };
  }
}

export type HttpRequest = FastifyRequest;
export type HttpReply = FastifyReply;

// The path of a request's URL, without its query string (Express's req.path).
export function pathOf(req: { url: string }): string {
  const q = req.url.indexOf('?');
  return q === -1 ? req.url : req.url.slice(0, q);
}
