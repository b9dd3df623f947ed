import { randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { connect, headers as natsHeaders, JSONCodec, NatsConnection } from 'nats';
import { createLocalLeaderLock, createMemoryCheckpointStore, createMemoryEventStore } from '@study-buddy/event-store';
import { inSpan, traceparentOf } from '@study-buddy/observability';
import { startTracing, Tracing } from '@study-buddy/observability/tracing';
import { testNatsUrl, uniqueNamespace, waitFor } from '@study-buddy/testing';
import {
  createDurableConsumer,
  createMemoryProcessedEvents,
  createOutboxRelay,
  MessageContext,
  RpcClient,
} from '../src';
import { useJetStream } from './support/jetstream-fixture';

const exporter = new InMemorySpanExporter();
let tracing: Tracing | undefined;
beforeAll(() => (tracing = startTracing('messaging-spec', {}, { exporter })));
afterAll(() => tracing?.shutdown());
beforeEach(() => exporter.reset());

const named = (name: string) => {
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  if (!span)
    throw new Error(
      `no span ${name} among ${exporter
        .getFinishedSpans()
        .map((s) => s.name)
        .join(', ')}`,
    );
  return span;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** Our own spans where no instrumentation exists, joined into one trace by `traceparent` in NATS headers and event metadata. */
describe('trace context across NATS', () => {
  const js = useJetStream();

  it('continues the trace of the request that appended an event: publish, then each delivery, then its calls', async () => {
    const store = createMemoryEventStore();
    const relay = createOutboxRelay({
      service: 'gateway',
      store,
      checkpoints: createMemoryCheckpointStore(),
      js: js.nc.jetstream(),
      namespace: js.topology.namespace,
      leader: createLocalLeaderLock(),
      map: (e) => ({ type: e.type, version: 1, data: e.data }),
    });
    const seen: MessageContext[] = [];
    const consumer = createDurableConsumer({
      nc: js.nc,
      topology: js.topology,
      durable: 'traced',
      filterSubject: `${js.topology.namespace}evt.gateway.>`,
      processed: createMemoryProcessedEvents(),
      maxDeliver: 3,
      handler: async (_event, handed) => {
        seen.push(handed);
        // a call the handler makes is the delivery's child
        await inSpan('handler work', {}, async () => undefined);
      },
    });
    await consumer.start();
    relay.start();
    try {
      // the request: its span's context goes into the event's metadata, as services do
      let requestSpanId = '';
      await inSpan('POST /auth/register', {}, async (span) => {
        requestSpanId = span.spanContext().spanId;
        await store.appendToStream(
          'user-1',
          [
            {
              type: 'UserRegistered',
              data: { userId: randomUUID(), email: 'a@example.com', registeredAt: new Date().toISOString() },
              metadata: { correlationId: 'c-1', traceparent: traceparentOf() },
            },
          ],
          { expectedRevision: 'no_stream' },
        );
      });
      await waitFor(() => seen.length === 1 && exporter.getFinishedSpans().some((s) => s.name === 'handler work'), {
        what: 'the event delivered',
      });
      const request = named('POST /auth/register');
      const publish = named('UserRegistered publish');
      const processed = named('UserRegistered process');
      const work = named('handler work');
      for (const span of [publish, processed, work])
        expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(parentOf(publish)).toBe(requestSpanId);
      expect(parentOf(processed)).toBe(publish.spanContext().spanId);
      expect(parentOf(work)).toBe(processed.spanContext().spanId);
      expect(processed.attributes).toMatchObject({
        'messaging.consumer.group.name': 'traced',
        'messaging.system': 'nats',
      });
      // what the handler hands on (to RPCs, to the events it appends) is its delivery's span
      expect(seen[0].traceparent).toBe(`00-${processed.spanContext().traceId}-${processed.spanContext().spanId}-01`);
      expect(seen[0].correlationId).toBe('c-1');
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it('sends the RPC client span as traceparent, a child of the active span or of the context it is given', async () => {
    const ns = uniqueNamespace().subjects;
    const nc: NatsConnection = await connect({ servers: testNatsUrl() });
    const received: (string | undefined)[] = [];
    const sub = nc.subscribe(`${ns}traced.echo`, {
      callback: (_e, msg) => {
        received.push(msg.headers?.get('traceparent'));
        msg.respond(JSONCodec().encode({ response: { ok: true } }), { headers: natsHeaders() });
      },
    });
    try {
      const client = new RpcClient(nc, 1000, ns);
      await inSpan('caller', {}, () => client.request('traced.echo', {}));
      const caller = named('caller');
      const request = named('traced.echo request');
      expect(parentOf(request)).toBe(caller.spanContext().spanId);
      expect(received[0]).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);

      // no active span (a background job): the context's traceparent is the parent
      const elsewhere = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await context.with(trace.deleteSpan(context.active()), () =>
        client.request('traced.echo', {}, { context: { traceparent: elsewhere } }),
      );
      const second = exporter.getFinishedSpans().filter((s) => s.name === 'traced.echo request')[1];
      expect(second.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(parentOf(second)).toBe('b7ad6b7169203331');

      // a trace its root did not sample: no span of ours, and the decision travels on as it came
      const unsampled = '00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-00';
      const before = exporter.getFinishedSpans().length;
      await context.with(trace.deleteSpan(context.active()), () =>
        client.request('traced.echo', {}, { context: { traceparent: unsampled } }),
      );
      expect(exporter.getFinishedSpans()).toHaveLength(before);
      expect(received[2]).toBe(unsampled);
    } finally {
      sub.unsubscribe();
      await nc.close();
    }
  });

  it('keeps a trace its root did not sample off the active context (instrumentations skip it) and hands it on', async () => {
    const unsampled = '00-2af7651916cd43dd8448eb211c80319c-d7ad6b7169203331-00';
    await inSpan('delivery', { parent: unsampled }, async () => {
      expect(trace.getActiveSpan()).toBeUndefined();
      expect(traceparentOf()).toBe(unsampled);
      await inSpan('nested', {}, async () => expect(traceparentOf()).toBe(unsampled));
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
