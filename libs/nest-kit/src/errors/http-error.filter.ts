import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { toErrorPayload } from './to-error-payload';

/** Every HTTP error, whatever threw it, as `{ "error": { code, message, details } }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, payload } = toErrorPayload(exception);
    // A passing outage (the bus reconnecting, no responder yet) or a rate limit: tell clients when to try again.
    const retryAfter = (payload.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if ((status === 503 || status === 429) && typeof retryAfter === 'number')
      void reply.header('retry-after', String(retryAfter));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send({ error: payload });
  }
}
