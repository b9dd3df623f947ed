import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Settings every service reads. Each has a default that works on a developer
 * machine (`npm start`); the Helm chart sets them for a cluster.
 */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  HOST: z.string().default('127.0.0.1'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/study_buddy'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
  /** Longest wait for a database connection (the server not answering, or every pooled one busy). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  /** Longest wait for a query's answer: a server that stopped answering fails the call instead of hanging it. */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  EVENT_STORE: z.enum(['postgres', 'eventstoredb']).default('postgres'),
  EVENTSTORE_CONNECTION_STRING: z.string().default('esdb://127.0.0.1:2113?tls=false'),
  /** Prefix for this deployment's PostgreSQL schemas, so several stacks can share one database. */
  DB_SCHEMA_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]*$/)
    .default(''),
  /** Prefix for NATS subjects ('' in production). */
  MESSAGING_NAMESPACE: z
    .string()
    .regex(/^([a-z0-9_-]+\.)?$/)
    .default(''),
  EVENTS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('EVENTS'),
  DEADLETTER_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('DEADLETTER'),
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  CONSUMER_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a consumed event may go unacknowledged before JetStream redelivers it (e.g. after a crash). */
  CONSUMER_ACK_WAIT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  S3_ENDPOINT: z.string().url().default('http://127.0.0.1:9000'),
  S3_ACCESS_KEY: z.string().default('S3RVER'),
  S3_SECRET_KEY: z.string().default('S3RVER'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
    .default('study-buddy'),
  S3_REGION: z.string().default('us-east-1'),
  /** Longest silence from the object store within one request before the call fails. */
  S3_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** How long to wait at start for PostgreSQL, NATS, EventStoreDB and the object store to come up before giving up (and being restarted). */
  STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(90_000),
  TRUST_PROXY: bool.default(false),
  /** Port of the Prometheus endpoint (`GET /metrics`), apart from the API's so the Ingress never routes to it; 0: none. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  /** OTLP/HTTP collector base URL (traces go to `<url>/v1/traces`); unset: no tracing at all. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Share of new traces recorded (0–1); a request that arrives sampled or not keeps its caller's decision. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
});
export type BaseEnv = z.infer<typeof baseEnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. Error messages name the variable and the rule it
 * broke, never its value: values may be secrets.
 */
export function loadEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
}
