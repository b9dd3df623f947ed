import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'nats';
import { Pool } from 'pg';
import { EmbeddedS3, startEmbeddedS3 } from '@study-buddy/blob-store';
import { SERVICES, ServiceName } from '@study-buddy/contracts';
import { ensureDatabase } from './ensure-database';
import { CRASH_LOOP_BACKOFF } from './restart-backoff';
import { ServiceProcess } from './service-process';

export interface DevStackOptions {
  /** The repository root (holds dist/). */
  workspace: string;
  /** Folder for local state: embedded S3 data, the development JWT key, logs. */
  dataDirectory: string;
  basePort?: number;
  s3Port?: number;
  databaseUrl?: string;
  natsUrl?: string;
  /** Isolation for tests: schema prefix, subject namespace and stream names. */
  isolation?: { schemaPrefix: string; namespace: string; streamPrefix: string };
  output?: 'console' | 'files';
  extraEnv?: NodeJS.ProcessEnv;
  /** Settings for one service only, over `extraEnv` (a test that points only the processor at a fake). */
  serviceEnv?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
  /** A service's entry point elsewhere than <workspace>/dist (the system tests run the image layouts). */
  entries?: Partial<Record<ServiceName, string>>;
  /**
   * Restart a service that exits on its own, with CrashLoopBackOff-like delays (`npm start`). Off by
   * default, so a test sees a crash rather than a restart that hides it; kill() and stop() never restart.
   */
  supervise?: boolean;
  /** Each process's Prometheus endpoint on `metricsBasePort + n`, in the order of the API ports (off when unset). */
  metricsBasePort?: number;
  /** More processes of a service beside the first (e.g. `{ videos: 2 }`), on the ports after the five. */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Settings for one extra process only (`gateway-2`), over `serviceEnv` (a benchmark's A/B of a setting). */
  replicaEnv?: Record<string, NodeJS.ProcessEnv>;
}

export interface DevStack {
  gatewayUrl: string;
  services: Record<ServiceName, ServiceProcess>;
  /** The extra processes `replicas` asked for (`videos-2`, …). */
  replicas: ServiceProcess[];
  env: NodeJS.ProcessEnv;
  /** `http://…/metrics` of each process (`gateway`, `videos-2`, …), with `metricsBasePort`. */
  metricsUrls: Record<string, string>;
  stop(): Promise<void>;
  /** For isolated stacks (tests, benchmarks): drop their schemas and JetStream streams. */
  removeData(): Promise<void>;
}

const PORT_OFFSET: Record<ServiceName, number> = { gateway: 0, videos: 1, processor: 2, notes: 3, billing: 4 };

/**
 * The whole platform on one machine: the database and bucket it needs, an
 * embedded S3 server standing in for MinIO, and the five services as separate
 * processes wired to the local NATS and PostgreSQL. Used by `npm start` and by
 * the system tests.
 */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const basePort = options.basePort ?? 8080;
  const databaseUrl =
    options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/study_buddy';
  mkdirSync(options.dataDirectory, { recursive: true });
  await ensureDatabase(databaseUrl);

  let s3: EmbeddedS3 | undefined;
  const externalS3 = process.env.S3_ENDPOINT;
  if (!externalS3)
    s3 = await startEmbeddedS3({ port: options.s3Port ?? 9000, directory: path.join(options.dataDirectory, 's3') });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: databaseUrl,
    NATS_URL: options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    S3_ENDPOINT: externalS3 ?? s3!.endpoint,
    JWT_SIGNING_KEYS: process.env.JWT_SIGNING_KEYS ?? developmentSigningKey(options.dataDirectory),
    ...(options.isolation
      ? {
          DB_SCHEMA_PREFIX: options.isolation.schemaPrefix,
          MESSAGING_NAMESPACE: options.isolation.namespace,
          EVENTS_STREAM: `${options.isolation.streamPrefix}EVENTS`,
          DEADLETTER_STREAM: `${options.isolation.streamPrefix}DEADLETTER`,
        }
      : {}),
    ...options.extraEnv,
  };

  const entry = (name: ServiceName) =>
    options.entries?.[name] ?? path.join(options.workspace, 'dist/services', name, 'src/main.js');
  const logs = path.join(options.dataDirectory, 'logs');
  if (options.output === 'files') mkdirSync(logs, { recursive: true });
  const metricsUrls: Record<string, string> = {};
  /** The settings of the process on the API port `basePort + n`. */
  const processEnv = (name: ServiceName, processName: string, n: number): NodeJS.ProcessEnv => {
    if (options.metricsBasePort === undefined) return { ...env, ...options.serviceEnv?.[name] };
    const port = options.metricsBasePort + n;
    metricsUrls[processName] = `http://127.0.0.1:${port}/metrics`;
    return { ...env, METRICS_PORT: String(port), ...options.serviceEnv?.[name] };
  };
  const services = Object.fromEntries(
    SERVICES.map((name) => [
      name,
      new ServiceProcess({
        name,
        entry: entry(name),
        port: basePort + PORT_OFFSET[name],
        env: processEnv(name, name, PORT_OFFSET[name]),
        output: options.output === 'files' ? { kind: 'file', directory: logs } : { kind: 'console' },
        restart: options.supervise ? CRASH_LOOP_BACKOFF : undefined,
      }),
    ]),
  ) as Record<ServiceName, ServiceProcess>;
  const replicas = SERVICES.flatMap((name) =>
    Array.from({ length: Math.max(0, (options.replicas?.[name] ?? 1) - 1) }, (_, i) => ({ name, n: i + 2 })),
  ).map(
    ({ name, n }, i) =>
      new ServiceProcess({
        name: `${name}-${n}`,
        entry: entry(name),
        port: basePort + SERVICES.length + i,
        env: { ...processEnv(name, `${name}-${n}`, SERVICES.length + i), ...options.replicaEnv?.[`${name}-${n}`] },
        output: options.output === 'files' ? { kind: 'file', directory: logs } : { kind: 'console' },
        restart: options.supervise ? CRASH_LOOP_BACKOFF : undefined,
      }),
  );
  const all = [...Object.values(services), ...replicas];

  const stop = async () => {
    await Promise.all(all.map((s) => s.stop()));
    await Promise.all(all.map((s) => s.close()));
    await s3?.close();
  };

  try {
    for (const name of SERVICES) {
      if (!existsSync(entry(name))) throw new Error(`${entry(name)} is missing: run "npm run build" first`);
      services[name].start();
    }
    for (const replica of replicas) replica.start();
    await Promise.all(all.map((s) => s.waitUntilReady()));
  } catch (e) {
    await stop();
    throw e;
  }
  const removeData = async () => {
    if (!options.isolation) throw new Error('removeData is only for isolated stacks');
    const pool = new Pool({ connectionString: databaseUrl });
    try {
      const { rows } = await pool.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`,
        [options.isolation.schemaPrefix],
      );
      for (const { nspname } of rows) await pool.query(`DROP SCHEMA "${nspname}" CASCADE`);
    } finally {
      await pool.end();
    }
    const nc = await connect({ servers: env.NATS_URL });
    try {
      const jsm = await nc.jetstreamManager();
      for (const stream of [env.EVENTS_STREAM, env.DEADLETTER_STREAM])
        await jsm.streams.delete(stream!).catch(() => undefined);
    } finally {
      await nc.close();
    }
  };
  return { gatewayUrl: services.gateway.url, services, replicas, env, metricsUrls, stop, removeData };
}

/**
 * A development signing key (Ed25519, PKCS#8 PEM) kept across restarts so tokens survive `npm start`
 * runs and every gateway of the stack signs and verifies with the same one; production sets JWT_SIGNING_KEYS.
 */
export function developmentSigningKey(dataDirectory: string): string {
  const file = path.join(dataDirectory, 'jwt-signing-key.pem');
  if (!existsSync(file)) {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeFileSync(file, pem, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8');
}
