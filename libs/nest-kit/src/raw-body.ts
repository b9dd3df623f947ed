import { Readable } from 'node:stream';
import { FastifyInstance, FastifyRequest } from 'fastify';

export type RequestWithRawBody = FastifyRequest & { rawBody?: Buffer };

/**
 * Keeps the exact bytes of the body on `request.rawBody` for these routes only (a webhook whose
 * signature covers the bytes, not the parsed JSON). The body is still parsed as usual afterwards;
 * every other route never buffers a second copy. Bodies over `limit` bytes are refused with 413.
 */
export function keepRawBody(fastify: FastifyInstance, routes: readonly string[], limit: number): void {
  const wanted = new Set(routes);
  fastify.addHook('preParsing', async (request: RequestWithRawBody, _reply, payload) => {
    if (!wanted.has(request.routeOptions.url ?? '')) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > limit)
        throw Object.assign(new Error('Request body is too large'), {
          statusCode: 413,
          code: 'FST_ERR_CTP_BODY_TOO_LARGE',
        });
      chunks.push(chunk as Buffer);
    }
    request.rawBody = Buffer.concat(chunks);
    return Object.assign(Readable.from([request.rawBody]), { receivedEncodedLength: size });
  });
}
