import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

// A request id on every request and response, so a log line can be matched to a user's error report.
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id;
  res.setHeader('x-request-id', id);
  next();
}
