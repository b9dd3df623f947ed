import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics: one registry per process (a service is one process), served by
 * `startMetricsServer` on its own port, never through the public API. Names follow Prometheus
 * conventions: base units in the name (`_seconds`), `_total` on counters; labels only from bounded
 * sets (route templates, RPC names, consumer names), never ids or paths.
 */
export const registry = new Registry();

let processMetrics = false;
/** Node's process metrics (CPU, memory, event-loop lag, GC, handles), once, for a real service process. */
export function collectProcessMetrics(service: string): void {
  if (processMetrics) return;
  processMetrics = true;
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
}

// 1 ms to 10 s: the API's answers and the RPCs behind them
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'HTTP requests served, by method, route template and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const rpcClientDuration = new Histogram({
  name: 'nats_rpc_client_duration_seconds',
  help: 'Requests to other services over NATS, by RPC and outcome (ok or the error code)',
  labelNames: ['rpc', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const consumerDeliveries = new Counter({
  name: 'jetstream_consumer_deliveries_total',
  help: 'Events delivered to a durable consumer, by consumer and outcome (handled, duplicate, retried, outage, dead_lettered)',
  labelNames: ['consumer', 'outcome'] as const,
  registers: [registry],
});

export const consumerRedeliveries = new Counter({
  name: 'jetstream_consumer_redeliveries_total',
  help: 'Deliveries of an event a consumer had been given before (after a failure, a crash or an ack timeout)',
  labelNames: ['consumer'] as const,
  registers: [registry],
});

export const consumerDeadLetters = new Counter({
  name: 'jetstream_consumer_dead_letters_total',
  help: 'Events a consumer gave up on and moved to the dead-letter stream',
  labelNames: ['consumer'] as const,
  registers: [registry],
});

// a pipeline step runs from milliseconds (a cached transcript) to minutes (a long lecture through Claude)
const STEP_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export const pipelineStepDuration = new Histogram({
  name: 'pipeline_step_duration_seconds',
  help: 'Steps of the video pipeline, by step and outcome (ok, failed: terminal, retry: transient, cancelled)',
  labelNames: ['step', 'outcome'] as const,
  buckets: STEP_BUCKETS,
  registers: [registry],
});

export const pipelineJobs = new Counter({
  name: 'pipeline_jobs_total',
  help: 'Video jobs the processor finished, by outcome (completed, failed, cancelled)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const billingCredits = new Counter({
  name: 'billing_credits_total',
  help: 'Credits moved by billing, by operation (reserved, captured, released, purchased, granted, refunded)',
  labelNames: ['operation'] as const,
  registers: [registry],
});

export const claudeRequests = new Counter({
  name: 'claude_requests_total',
  help: "Calls to Anthropic's Messages API, by model and outcome (ok or the failure's kind)",
  labelNames: ['model', 'outcome'] as const,
  registers: [registry],
});

export const claudeTokens = new Counter({
  name: 'claude_tokens_total',
  help: 'Tokens Claude billed, by model and kind (input, output, cache_read, cache_write)',
  labelNames: ['model', 'kind'] as const,
  registers: [registry],
});

export const claudeCost = new Counter({
  name: 'claude_estimated_cost_usd_total',
  help: "Claude's estimated cost in US dollars from the list prices the processor knows, by model",
  labelNames: ['model'] as const,
  registers: [registry],
});

/** A reading taken when Prometheus scrapes, for a gauge whose value lives elsewhere (JetStream, the store). */
export type Probe = () => Promise<number | undefined> | number | undefined;

/** A gauge whose values are read at scrape time from the probes registered for each label value. */
function probedGauge(name: string, help: string, label: string) {
  const probes = new Map<string, Probe>();
  new Gauge({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        [...probes].map(async ([value, probe]) => {
          // one slow or failing source must not fail the whole scrape: its series is left out this time
          const reading = await withTimeout(Promise.resolve().then(probe), 2000).catch(() => undefined);
          if (reading !== undefined && Number.isFinite(reading)) this.set({ [label]: value }, reading);
        }),
      );
    },
  });
  /** Registers a probe for one label value; returns its removal (for a worker that stops). */
  return (value: string, probe: Probe): (() => void) => {
    probes.set(value, probe);
    return () => {
      if (probes.get(value) === probe) probes.delete(value);
    };
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('probe timed out')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const probeConsumerPending = probedGauge(
  'jetstream_consumer_pending_messages',
  'Events in the stream a durable consumer has not been delivered yet (its lag), from JetStream',
  'consumer',
);

export const probeConsumerAckPending = probedGauge(
  'jetstream_consumer_ack_pending_messages',
  'Events delivered to a durable consumer and not acknowledged yet (in hand), from JetStream',
  'consumer',
);

export const probeProjectionLag = probedGauge(
  'projection_lag_events',
  "Events in the service's store after the position its read model has reached (positions: exact on PostgreSQL)",
  'projection',
);

export const probeOutboxRelayLag = probedGauge(
  'outbox_relay_lag_events',
  "Events in the service's store after the last one the outbox relay has published or passed (on the replica that leads it)",
  'relay',
);
