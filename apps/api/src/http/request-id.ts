import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

// A request id on every request and response, so a log line can be matched to a user's error report.
export function requestId(req: FastifyRequest, reply: FastifyReply): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id;
  reply.header('x-request-id', id);
}
