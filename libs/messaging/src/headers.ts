import { headers as natsHeaders, MsgHdrs } from 'nats';

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

export function contextFromHeaders(h: MsgHdrs | undefined): MessageContext {
  if (!h) return {};
  const get = (name: string) => (h.has(name) ? h.get(name) : undefined);
  return {
    correlationId: get(HEADER.correlationId),
    causationId: get(HEADER.causationId),
    userId: get(HEADER.userId),
    traceparent: get(HEADER.traceparent),
  };
}
