import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { inSpan, setRootSampling, startServerSpan, traceparentOf } from './spans';
import { startTracing, Tracing } from './start-tracing';

const UNSAMPLED = /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/;

/** How a request's server span decides whether its trace is recorded, and what it hands on either way. */
describe('startServerSpan', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  // the SDK's own root sampler keeps nothing: a recorded root below is recorded because the request chose it
  beforeAll(() => (tracing = startTracing('server-span-spec', { OTEL_TRACES_SAMPLER_ARG: '0' }, { exporter })));
  afterAll(() => tracing?.shutdown());
  beforeEach(() => exporter.reset());
  const attributes = jest.fn(() => ({ 'http.route': '/videos/:id' }));
  beforeEach(() => attributes.mockClear());

  it('records a new trace the request sampled, though the SDK alone would not have', async () => {
    setRootSampling(1);
    const { span, run } = startServerSpan('GET /videos/:id', undefined, attributes);
    const handedOn = await run(async () => inSpan('videos.get request', {}, async () => traceparentOf()));
    span!.end();
    const [child, server] = exporter.getFinishedSpans();
    expect(server).toMatchObject({ name: 'GET /videos/:id', attributes: { 'http.route': '/videos/:id' } });
    expect(server.parentSpanContext).toBeUndefined();
    expect(child.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(handedOn).toBe(`00-${server.spanContext().traceId}-${child.spanContext().spanId}-01`);
  });

  it('starts no span for a new trace it does not sample, yet hands one unsampled trace on to all it calls', async () => {
    setRootSampling(0);
    const { span, run } = startServerSpan('GET /videos/:id', undefined, attributes);
    expect(span).toBeUndefined();
    const seen = await run(async () => {
      const first = traceparentOf();
      await new Promise((resolve) => setImmediate(resolve));
      const nested = await inSpan('videos.get request', {}, async () => traceparentOf());
      return [first, traceparentOf(), nested];
    });
    expect(seen[0]).toMatch(UNSAMPLED);
    expect(new Set(seen)).toEqual(new Set([seen[0]]));
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(attributes).not.toHaveBeenCalled();
    // another request: another trace
    expect(startServerSpan('GET /x', undefined, attributes).run(() => traceparentOf())).not.toBe(seen[0]);
    expect(traceparentOf()).toBeUndefined();
  });

  it("keeps the caller's decision whatever the ratio: a sampled caller is continued, an unsampled one carried", async () => {
    setRootSampling(0);
    const sampled = '00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01';
    const continued = startServerSpan('POST /videos', sampled, attributes);
    continued.run(() => undefined);
    continued.span!.end();
    const [server] = exporter.getFinishedSpans();
    expect(server.spanContext().traceId).toBe('1af7651916cd43dd8448eb211c80319c');
    expect(server.parentSpanContext?.spanId).toBe('c7ad6b7169203331');

    setRootSampling(1);
    const unsampled = '00-2af7651916cd43dd8448eb211c80319c-d7ad6b7169203331-00';
    const carried = startServerSpan('POST /videos', unsampled, attributes);
    expect(carried.span?.isRecording()).toBe(false);
    expect(carried.run(() => traceparentOf())).toMatch(/^00-2af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00$/);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('does nothing with tracing off', () => {
    setRootSampling(undefined);
    const { span, run } = startServerSpan('GET /videos/:id', undefined, attributes);
    expect(span).toBeUndefined();
    expect(run(() => traceparentOf())).toBeUndefined();
  });
});
