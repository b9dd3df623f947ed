import { headers as natsHeaders, MsgHdrs } from 'nats';
import { traceparentOf } from '@study-buddy/observability';

/** Context that travels with every request and event (W3C trace context, correlation, acting user). */
export interface MessageContext {
  correlationId?: string;
  causationId?: string;
  userId?: string;
  traceparent?: string;
}

export const HEADER = {
  correlationId: 'x-correlation-id',
  causationId: 'x-causation-id',
  userId: 'x-user-id',
  traceparent: 'traceparent',
  msgId: 'Nats-Msg-Id',
  originalSubject: 'sb-original-subject',
  error: 'sb-error',
  consumer: 'sb-consumer',
  deliveries: 'sb-deliveries',
  replayFor: 'sb-replay-for',
} as const;

export function contextHeaders(context: MessageContext = {}, into: MsgHdrs = natsHeaders()): MsgHdrs {
  for (const key of ['correlationId', 'causationId', 'userId', 'traceparent'] as const) {
    const value = context[key];
    if (value) into.set(HEADER[key], value);
  }
  return into;
}

/**
 * The context a message carries, to hand on. Inside a span (a handler's server or consumer span) the
 * trace context handed on is that span's, so what the handler calls or appends becomes its child.
 */
export function contextFromHeaders(h: MsgHdrs | undefined): MessageContext {
  const get = (name: string) => (h?.has(name) ? h.get(name) : undefined);
  const context: MessageContext = {
    correlationId: get(HEADER.correlationId),
    causationId: get(HEADER.causationId),
    userId: get(HEADER.userId),
    traceparent: traceparentOf() ?? get(HEADER.traceparent),
  };
  return h || context.traceparent ? context : {};
}
