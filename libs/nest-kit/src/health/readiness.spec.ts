import { createServer, Server, Socket } from 'node:net';
import { FastifyReply } from 'fastify';
import { connect, NatsConnection } from 'nats';
import { createBlobStore } from '@study-buddy/blob-store';
import { EventStore } from '@study-buddy/event-store';
import { BackgroundWorkers } from '../platform/background-workers';
import { BusConnections } from '../platform/bus-connections';
import { createPgPool } from '../platform/pg-pool';
import { HealthController } from './health.controller';

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

/** Readiness while PostgreSQL is down and the object store hangs: not ready, naming both, and answering promptly. */
describe('readiness through a database and object-store outage', () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
  });
  afterAll(async () => {
    await nc.close();
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  it('reports postgres, event_store and blob_store as down within the probe timeout', async () => {
    const closed = createServer();
    const deadPort = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const silentPort = await listen(silent);

    const pool = createPgPool(
      {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/postgres`,
        DATABASE_POOL_SIZE: 2,
        DATABASE_CONNECT_TIMEOUT_MS: 5000,
        DATABASE_QUERY_TIMEOUT_MS: 5000,
      },
      { warn: () => undefined } as never,
    );
    const store = { headPosition: () => pool.query('SELECT 1').then(() => 0n) } as unknown as EventStore;
    const blobs = createBlobStore({
      endpoint: `http://127.0.0.1:${silentPort}`,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      bucket: 'readiness',
      region: 'us-east-1',
      timeoutMs: 10_000, // longer than the probe: readiness must not wait for it
    });
    const bus = new BusConnections();
    bus.track('nats', nc);
    const health = new HealthController(nc, pool, store, blobs, new BackgroundWorkers(), bus);

    const sent = { status: 0, body: undefined as unknown };
    const reply = {
      status: (code: number) => ((sent.status = code), reply),
      send: (body: unknown) => ((sent.body = body), reply),
    } as unknown as FastifyReply;
    const started = Date.now();
    try {
      await health.readyz(reply);
    } finally {
      await pool.end();
    }
    expect(Date.now() - started).toBeLessThan(3000);
    expect(sent).toEqual({
      status: 503,
      body: {
        status: 'not_ready',
        checks: { nats: true, connection_nats: true, postgres: false, event_store: false, blob_store: false },
      },
    });
  });
});
