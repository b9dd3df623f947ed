import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { connect } from 'nats';
import { findFreePortRange } from '@study-buddy/devstack';
import { Pool } from 'pg';
import { dropSchema } from '@study-buddy/testing';

/**
 * The EventStoreDB client connects lazily: without a check at start, a pod
 * would report itself started against a store it cannot reach. A service
 * configured for EventStoreDB waits for it like for PostgreSQL and NATS, says
 * so without the connection string's credentials, and exits once
 * STARTUP_TIMEOUT_MS has passed so that its supervisor restarts it.
 */
describe('a service whose EventStoreDB is not up (system test)', () => {
  const id = randomBytes(3).toString('hex');
  const schemaPrefix = `e2e${id}_`;
  const streams = [`E2E${id.toUpperCase()}_EVENTS`, `E2E${id.toUpperCase()}_DEADLETTER`];
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/study_buddy_test';
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });

  afterAll(async () => {
    // NATS comes up beside the event store and creates this run's streams: remove them with the schema.
    const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    for (const stream of streams) await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await dropSchema(pool, `${schemaPrefix}videos`);
    await pool.end();
  });

  it('waits for it up to STARTUP_TIMEOUT_MS, then exits', async () => {
    const [port, unreachable] = [await findFreePortRange(1), await findFreePortRange(1, 27_000)];
    const started = Date.now();
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/services/videos/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
        DB_SCHEMA_PREFIX: schemaPrefix,
        MESSAGING_NAMESPACE: `e2e${id}.`,
        EVENTS_STREAM: streams[0],
        DEADLETTER_STREAM: streams[1],
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: `esdb://admin:hunter2-esdb@127.0.0.1:${unreachable}?tls=false`,
        STARTUP_TIMEOUT_MS: '3000',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(output).toMatch(/waiting for EventStoreDB: .*unavailable/);
    expect(output).not.toContain('hunter2-esdb');
  }, 60_000);
});
