import { randomUUID } from 'node:crypto';
import { ErrorCode as NatsErrorCode, JSONCodec, NatsConnection, NatsError } from 'nats';
import { z } from 'zod';
import { AppError } from '@study-buddy/contracts';
import { hasActiveSpan, inSpan, rpcClientDuration, SpanKind, traceparentOf } from '@study-buddy/observability';
import { ConnectionState } from '../connection-state';
import { contextHeaders, MessageContext } from '../headers';

/** What a caller is told to wait before trying again while the bus is down. */
export const RETRY_AFTER_SECONDS = 2;

const codec = JSONCodec<unknown>();

/** The reply packet of NestJS's NATS transport (`@MessagePattern` handlers). */
const nestReply = z.object({
  id: z.string().optional(),
  response: z.unknown().optional(),
  err: z.unknown().optional(),
  isDisposed: z.boolean().optional(),
});

export interface RpcCallOptions {
  timeoutMs?: number;
  context?: MessageContext;
}

/** What callers of another service depend on: the NATS client below, or a recording fake in service-level specs. */
export interface Rpc {
  request<TReply>(
    rpc: string,
    data: unknown,
    options?: RpcCallOptions & { reply?: z.ZodType<TReply> },
  ): Promise<TReply>;
}

/**
 * Request/reply to NestJS `@MessagePattern` handlers over NATS. Speaks Nest's
 * wire format, but through `nc.request`, so a subject with no responder fails
 * at once with `unavailable` (503) instead of hanging until the timeout, and
 * every call has a timeout (`timeout`, 504). Error replies become AppErrors
 * with the callee's code, message and details.
 */
export class RpcClient implements Rpc {
  constructor(
    private readonly nc: NatsConnection,
    private readonly defaultTimeoutMs = 5000,
    /** Subject prefix shared with the responders (see rpcPattern in nest-kit). */
    private readonly namespace = '',
    /** The connection's state: while it is down a call fails at once instead of waiting for its timeout. */
    private readonly state?: ConnectionState,
  ) {}

  async request<TReply>(
    rpc: string,
    data: unknown,
    options: RpcCallOptions & { reply?: z.ZodType<TReply> } = {},
  ): Promise<TReply> {
    const stopTimer = rpcClientDuration.startTimer({ rpc });
    try {
      const reply = await inSpan(
        `${rpc} request`,
        {
          kind: SpanKind.CLIENT,
          // a request or delivery in progress is the parent; else the trace the caller's context names
          parent: hasActiveSpan() ? undefined : options.context?.traceparent,
          attributes: { 'rpc.system': 'nats', 'rpc.method': rpc, 'messaging.system': 'nats' },
        },
        (span) =>
          this.call(rpc, data, {
            ...options,
            context: { ...options.context, traceparent: traceparentOf(span) ?? options.context?.traceparent },
          }),
      );
      stopTimer({ outcome: 'ok' });
      return reply;
    } catch (e) {
      // the outcome is the error's code (a bounded set): not_found, conflict, timeout, unavailable…
      stopTimer({ outcome: e instanceof AppError ? e.code : 'internal' });
      throw e;
    }
  }

  private async call<TReply>(
    rpc: string,
    data: unknown,
    options: RpcCallOptions & { reply?: z.ZodType<TReply> },
  ): Promise<TReply> {
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const subject = `${this.namespace}${rpc}`;
    if (this.state && !this.state.connected) {
      throw new AppError(
        'unavailable',
        'The platform is briefly unavailable (its message bus is reconnecting); try again in a few seconds',
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    const payload = codec.encode({ pattern: subject, data, id: randomUUID() });
    const maxPayload = this.nc.info?.max_payload;
    if (maxPayload && payload.length > maxPayload) {
      throw new AppError(
        'payload_too_large',
        `The request is ${payload.length} bytes; the message bus takes at most ${maxPayload}`,
      );
    }
    let raw;
    try {
      raw = await this.nc.request(subject, payload, {
        timeout,
        headers: contextHeaders(options.context),
      });
    } catch (e) {
      throw translateNatsError(e, rpc, timeout);
    }
    const packet = nestReply.safeParse(codec.decode(raw.data));
    if (!packet.success) throw new AppError('internal', `Malformed reply from the ${serviceOf(rpc)} service`);
    if (packet.data.err !== undefined && packet.data.err !== null) throw AppError.fromPayload(packet.data.err);
    if (!options.reply) return packet.data.response as TReply;
    const parsed = options.reply.safeParse(packet.data.response);
    if (!parsed.success)
      throw new AppError('internal', `The ${serviceOf(rpc)} service's reply does not match its contract`);
    return parsed.data;
  }
}

/**
 * Errors name the service called, never the subject: these messages travel back to HTTP callers,
 * and internal subjects (with their namespace) are nobody's business outside the platform.
 */
const serviceOf = (rpc: string) => rpc.split('.')[0];

function translateNatsError(e: unknown, rpc: string, timeoutMs: number): AppError {
  const code = (e as NatsError | undefined)?.code;
  const service = serviceOf(rpc);
  if (code === NatsErrorCode.NoResponders) {
    return new AppError('unavailable', `The ${service} service is not answering; try again shortly`, {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
  }
  if (code === NatsErrorCode.Timeout) {
    return new AppError('timeout', `The ${service} service did not answer within ${timeoutMs} ms; try again`);
  }
  if (code === NatsErrorCode.ConnectionClosed || code === NatsErrorCode.Disconnect) {
    return new AppError('unavailable', 'The message bus is not reachable; try again in a few seconds', {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
  }
  return new AppError('internal', `The request to the ${service} service failed`);
}
