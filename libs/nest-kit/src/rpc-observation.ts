import { NatsContext, ServerNats } from '@nestjs/microservices';
import { contextFromHeaders } from '@study-buddy/messaging';
import { inSpan, runWithLogContext, SpanKind } from '@study-buddy/observability';

type NatsServerOptions = ConstructorParameters<typeof ServerNats>[0];

/**
 * Nest's NATS server whose `@MessagePattern` handlers each run in a server span continuing the
 * caller's `traceparent`, with the caller's correlation and user ids on their log lines. Inside,
 * `contextFromHeaders` hands on this span's trace context, so what a handler calls or appends is its
 * child. (The transport's processing hook, not an interceptor: a hybrid app's microservice sets its
 * handlers up before any interceptor could be registered on it.)
 */
export function observedNatsServer(options: NatsServerOptions, namespace: string): ServerNats {
  const server = new ServerNats(options);
  server.setOnProcessingStartHook((_transport, context, done) => {
    const nats = context as NatsContext;
    // read before the span starts: the header is still the caller's
    const caller = contextFromHeaders(nats.getHeaders());
    const subject = nats.getSubject();
    const rpc = subject.startsWith(namespace) ? subject.slice(namespace.length) : subject;
    return runWithLogContext({ correlationId: caller.correlationId, userId: caller.userId }, () =>
      inSpan(
        `${rpc} process`,
        {
          kind: SpanKind.SERVER,
          parent: caller.traceparent,
          attributes: { 'rpc.system': 'nats', 'rpc.method': rpc, 'messaging.system': 'nats' },
        },
        () => done(),
      ),
    );
  });
  return server;
}
