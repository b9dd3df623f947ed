import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  Sampler,
  SamplingDecision,
  SamplingResult,
  SimpleSpanProcessor,
  SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { Context } from '@opentelemetry/api';
import { onTracingShutdown, SAMPLED_HERE, setRootSampling } from './spans';

export interface Tracing {
  /** Flushes the spans still buffered and stops; a service calls it as it shuts down. */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/**
 * OpenTelemetry for one service process, from the standard settings: `OTEL_EXPORTER_OTLP_ENDPOINT` (the
 * collector's OTLP/HTTP base URL; unset: no tracing at all, and the API stays a no-op), the share of new
 * traces kept (`OTEL_TRACES_SAMPLER_ARG`, parent-based: a request keeps its caller's decision) and
 * `OTEL_SERVICE_NAME` (default: the service). Must run before the application loads `http`, `pg` and
 * `undici`, so a service's main module imports its `tracing.ts` first. `exporter`: a test's in-memory one.
 */
const numberOr = (value: string | undefined, fallback: number) =>
  value !== undefined && Number.isFinite(Number(value)) && Number(value) > 0 ? Number(value) : fallback;

export function startTracing(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { exporter?: SpanExporter } = {},
): Tracing | undefined {
  if (started) return started;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint && !options.exporter) return undefined;
  const given = env.OTEL_TRACES_SAMPLER_ARG === undefined ? 1 : Number(env.OTEL_TRACES_SAMPLER_ARG);
  const ratio = Number.isFinite(given) ? Math.min(1, Math.max(0, given)) : 1;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint!.replace(/\/+$/, '')}/v1/traces` }), {
        // small batches often: serialising the SDK's default 512 spans at once holds the event loop for
        // milliseconds, which requests waiting behind it feel at their p99
        maxExportBatchSize: numberOr(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 128),
        scheduledDelayMillis: numberOr(env.OTEL_BSP_SCHEDULE_DELAY, 1000),
        maxQueueSize: numberOr(env.OTEL_BSP_MAX_QUEUE_SIZE, 4096),
      });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || service }),
    autoDetectResources: false,
    sampler: new ParentBasedSampler({
      // traces started elsewhere than an HTTP request (an event with no trace, a test's span); a request's
      // server span decides by the same ratio without the SDK (startServerSpan)
      root: new DecidedRootSampler(new TraceIdRatioBasedSampler(ratio)),
    }),
    spanProcessors: [processor],
    // traces only: the metrics are prom-client's (GET /metrics), and the logs go to stdout. Left to its
    // defaults the SDK would also export OTLP metrics and logs, and time every request a second time.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Outgoing calls only (S3, Stripe). The server spans come from the services' Fastify hooks
        // (nest-kit's observeRequests): this instrumentation's server side cost ~60 µs a request, half
        // again the gateway's CPU on its hottest route, sampled or not.
        disableIncomingRequestInstrumentation: true,
        // a call made outside any request (a background loop) would start a trace of its own
        requireParentforOutgoingSpans: true,
      }),
      // the relays' and projectors' polling queries have no parent: only queries a request or event made
      new PgInstrumentation({ requireParentSpan: true }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  sdk.start();
  setRootSampling(ratio);
  started = {
    shutdown: () => {
      setRootSampling(undefined);
      return sdk.shutdown().catch(() => undefined);
    },
  };
  onTracingShutdown(started.shutdown);
  return started;
}

/** The ratio sampler, except for a new trace whose caller already chose to record it (startServerSpan). */
class DecidedRootSampler implements Sampler {
  constructor(private readonly ratio: Sampler) {}

  shouldSample(context: Context, traceId: string, ...rest: SamplerRest): SamplingResult {
    if (context.getValue(SAMPLED_HERE) === true) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.ratio.shouldSample(context, traceId, ...rest);
  }

  toString(): string {
    return `DecidedRootSampler{${this.ratio.toString()}}`;
  }
}
type SamplerRest = Parameters<Sampler['shouldSample']> extends [Context, string, ...infer R] ? R : never;
