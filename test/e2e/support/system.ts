import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevStack, DevStackOptions, findFreePortRange, startDevStack } from '@study-buddy/devstack';
import { ApiClient, DEFAULT_PASSWORD } from './api-client';
import { scanLogs } from './log-scan';
import { photosynthesisLecture } from './lecture';

export interface System {
  stack: DevStack;
  api: ApiClient;
  /** Where each service's output goes (`<service>.log`). */
  logsDirectory: string;
  dataDirectory: string;
  teardown(): Promise<void>;
  printLogs(): void;
}

/**
 * Starts all five services as separate processes, isolated from any other
 * stack on this machine: own schemas, subject namespace, streams and ports.
 * Teardown stops them and removes what they created.
 */
export async function startSystem(
  options: {
    entries?: DevStackOptions['entries'];
    extraEnv?: NodeJS.ProcessEnv;
    serviceEnv?: DevStackOptions['serviceEnv'];
    replicas?: DevStackOptions['replicas'];
    /** A NATS server or PostgreSQL cluster of the test's own (the outage tests stop them). */
    natsUrl?: string;
    databaseUrl?: string;
  } = {},
): Promise<System> {
  const id = randomBytes(3).toString('hex');
  const isolation = { schemaPrefix: `e2e${id}_`, namespace: `e2e${id}.`, streamPrefix: `E2E${id.toUpperCase()}_` };
  const dataDirectory = mkdtempSync(path.join(tmpdir(), 'study-buddy-e2e-'));
  const databaseUrl =
    options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/study_buddy_test';
  const processes =
    5 + Object.values(options.replicas ?? {}).reduce((n, count) => n + Math.max(0, (count ?? 1) - 1), 0);
  // the API ports, then each process's metrics port
  const basePort = await findFreePortRange(2 * processes);
  const stack = await startDevStack({
    workspace: path.resolve(__dirname, '../../..'),
    dataDirectory,
    basePort,
    metricsBasePort: basePort + processes,
    s3Port: 0,
    databaseUrl,
    natsUrl: options.natsUrl,
    isolation,
    output: 'files',
    extraEnv: {
      // every test registers from 127.0.0.1: the per-address limit is tested on its own in sessions.spec.ts
      REGISTRATIONS_PER_IP: '100000',
      CONSUMER_MAX_DELIVER: '3',
      RESERVATION_TTL_MS: '1500',
      RESERVATION_SWEEP_INTERVAL_MS: '300',
      // a crashed worker's unacknowledged events come back after this long
      CONSUMER_ACK_WAIT_MS: '3000',
      JOB_ACK_WAIT_MS: '5000',
      // No system test reaches the real YouTube: unless a test points this at its fake, every YouTube request is refused.
      YOUTUBE_BASE_URL: 'http://127.0.0.1:9',
      YOUTUBE_TIMEOUT_MS: '3000',
      // as deployed: every line JSON, which teardown checks along with the absence of secrets
      LOG_FORMAT: 'json',
      ...options.extraEnv,
    },
    entries: options.entries,
    serviceEnv: options.serviceEnv,
    replicas: options.replicas,
  });
  return {
    stack,
    api: new ApiClient(stack.gatewayUrl),
    logsDirectory: path.join(dataDirectory, 'logs'),
    dataDirectory,
    printLogs() {
      const logs = path.join(dataDirectory, 'logs');
      for (const file of readdirSync(logs))
        process.stdout.write(`\n===== ${file} =====\n${readFileSync(path.join(logs, file), 'utf8').slice(-6000)}`);
    },
    async teardown() {
      await stack.stop();
      await stack.removeData();
      const env = stack.env;
      const problems = scanLogs(path.join(dataDirectory, 'logs'), {
        'test password': DEFAULT_PASSWORD,
        'JWT signing key': env.JWT_SIGNING_KEYS?.match(/[A-Za-z0-9+/]{40,}/)?.[0],
        'object-store secret': env.S3_SECRET_KEY && env.S3_SECRET_KEY !== 'S3RVER' ? env.S3_SECRET_KEY : undefined,
        'Anthropic key': env.ANTHROPIC_API_KEY,
        'Stripe key': env.STRIPE_SECRET_KEY,
        'Stripe webhook secret': env.STRIPE_WEBHOOK_SECRET,
        'transcript text': photosynthesisLecture.slice(200, 260),
      });
      if (problems.length > 0)
        throw new Error(`the services' logs break the rules:\n${problems.slice(0, 20).join('\n')}`);
    },
  };
}
