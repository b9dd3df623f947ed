import { ensureHelm, lint, template } from './helm';

beforeAll(ensureHelm);

/** Values a user could get wrong, and the message that must stop the install. */
const rejected: Array<[string, Record<string, string>, RegExp]> = [
  ['an unknown top-level key', { replicaCount: '3' }, /Additional property replicaCount is not allowed/],
  ['an unknown service', { 'services.search.port': '8085' }, /services: Additional property search is not allowed/],
  [
    'a misspelt service setting',
    { 'services.gateway.replica': '2' },
    /services.gateway: Additional property replica is not allowed/,
  ],
  [
    'a port that is not a number',
    { 'services.gateway.port': 'http' },
    /services.gateway.port: Invalid type. Expected: integer, given: string/,
  ],
  [
    'a port out of range',
    { 'services.videos.port': '70000' },
    /services.videos.port: Must be less than or equal to 65535/,
  ],
  ['an unknown pull policy', { 'services.notes.image.pullPolicy': 'Sometimes' }, /services.notes.image.pullPolicy/],
  [
    'a malformed CPU limit',
    { 'services.billing.resources.limits.cpu': 'lots' },
    /services.billing.resources.limits.cpu/,
  ],
  [
    'an environment variable that is not UPPER_CASE',
    { 'services.processor.env.job_ack_wait_ms': '1' },
    /services.processor.env/,
  ],
  [
    'a signing key that is not a PEM private key',
    { 'secrets.jwtSigningKeys': 'hunter2-hunter2-hunter2-hunter2-hunter2' },
    /secrets.jwtSigningKeys/,
  ],
  ['an unknown log format', { 'config.logFormat': 'xml' }, /config.logFormat/],
  ['an unknown event store', { 'eventStore.type': 'mongodb' }, /eventStore.type/],
  [
    'a password that would break the database URL',
    { 'postgresql.password': 'p@ss:word/1' },
    /postgresql.password: Does not match pattern/,
  ],
  [
    'more parallel jobs per processor replica than it supports',
    { 'services.processor.jobConcurrency': '33' },
    /services.processor.jobConcurrency: Must be less than or equal to 32/,
  ],
  [
    'more KEDA replicas than the durable lets jobs be in flight',
    { 'services.processor.keda.maxReplicas': '31' },
    /services.processor.keda.maxReplicas: Must be less than or equal to 30/,
  ],
  [
    'a KEDA setting on a service that has no consumer lag',
    { 'services.gateway.keda.enabled': 'true' },
    /services.gateway: Additional property keda is not allowed/,
  ],
  ['a misspelt metrics setting', { 'metrics.servicemonitor.enabled': 'true' }, /metrics: Additional property/],
  [
    'a scrape interval Prometheus cannot read',
    { 'metrics.serviceMonitor.interval': '30 seconds' },
    /metrics.serviceMonitor.interval: Does not match pattern/,
  ],
  [
    'a scraper namespace that is no namespace name',
    { 'metrics.scrapeFrom.namespace': 'Monitoring' },
    /metrics.scrapeFrom.namespace/,
  ],
  [
    'a sampling ratio above 1',
    { 'tracing.samplingRatio': '2' },
    /tracing.samplingRatio: Must be less than or equal to 1/,
  ],
  [
    'an OTLP endpoint that is not an HTTP(S) URL',
    { 'tracing.otlpEndpoint': 'otel:4318' },
    /tracing.otlpEndpoint: Does not match pattern/,
  ],
];

/** Values that pass the schema but not the chart's own cross-field rules. */
const failed: Array<[string, Record<string, string>, RegExp]> = [
  [
    'two autoscalers on the processor',
    { 'services.processor.keda.enabled': 'true', 'services.processor.autoscaling.enabled': 'true' },
    /either autoscaling \(CPU\) or keda/,
  ],
  [
    'a grace period shorter than the preStop pause',
    { 'services.notes.terminationGracePeriodSeconds': '15', 'services.notes.preStopSleepSeconds': '10' },
    /services.notes.terminationGracePeriodSeconds must leave at least 10 s/,
  ],
  [
    'external PostgreSQL without its Secret',
    { 'postgresql.enabled': 'false' },
    /postgresql.external.existingSecret is required/,
  ],
  ['external NATS without a URL', { 'nats.enabled': 'false' }, /nats.external.url is required/],
  [
    'external S3 without an endpoint',
    { 'objectStore.minio.enabled': 'false' },
    /objectStore.external.endpoint is required/,
  ],
  [
    'external EventStoreDB without its Secret',
    { 'eventStore.inCluster.enabled': 'false' },
    /eventStore.external.existingSecret is required/,
  ],
  [
    'no application Secret at all',
    { 'secrets.create': 'false' },
    /set secrets.existingSecret, or secrets.create: true/,
  ],
  [
    'a metrics port that is a service API port too',
    { 'metrics.port': '8083' },
    /metrics.port 8083 is services.notes.port too/,
  ],
  [
    'a ServiceMonitor for services that serve no metrics',
    { 'metrics.enabled': 'false', 'metrics.serviceMonitor.enabled': 'true' },
    /metrics.serviceMonitor.enabled needs metrics.enabled/,
  ],
  [
    "the collector's pod labels without its namespace",
    { 'tracing.otlpEndpoint': 'http://otel:4318', 'tracing.collector.podLabels.app': 'otel' },
    /tracing.collector.podLabels needs tracing.collector.namespace/,
  ],
];

describe('values the chart refuses', () => {
  it.each([...rejected, ...failed])('%s', (_, set, message) => {
    const result = template({ set });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it.each(rejected)('fails helm lint --strict too: %s', (_, set) => {
    expect(lint({ set }).status).not.toBe(0);
  });

  it('accepts the same keys with valid values', () => {
    const result = template({
      set: {
        'services.videos.port': '9081',
        'services.processor.env.JOB_ACK_WAIT_MS': '90000',
        'config.logFormat': 'text',
        'postgresql.password': 'Url-safe_password.1',
        'metrics.port': '9100',
        'metrics.serviceMonitor.interval': '1m30s',
        'tracing.otlpEndpoint': 'https://otlp.example.com/otlp',
        'tracing.samplingRatio': '0.1',
      },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
