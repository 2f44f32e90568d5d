import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';

// A GET or HEAD may carry a body, which Fastify does not read. Node then closes the connection once the answer is
// sent, and a client still sending that body can lose the answer (hostile-input suite: a 2 MB body on a GET got no
// response). As Express's body parser did, such a body is read and dropped before the request goes on: up to the
// body limit, and a larger one is refused with 413 (a small answer, which arrives).
export function readUnparsedBody(limit: number) {
  return (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return done();
    const raw = req.raw;
    const length = raw.headers['content-length'];
    if ((length === undefined || length === '0') && raw.headers['transfer-encoding'] === undefined)
      return done();
    if (Number(length) > limit)
      return done(new PayloadTooLargeException('request entity too large'));
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) finish(new PayloadTooLargeException('request entity too large'));
    };
    const onEnd = () => finish();
    const onError = () => finish(new BadRequestException('the request body could not be read'));
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      raw.off('data', onData).off('end', onEnd).off('error', onError);
      if (err) raw.resume(); // keep dropping what still arrives
      done(err);
    };
    raw.on('data', onData).once('end', onEnd).once('error', onError);
  };
}
