import { createServer, Socket } from 'node:net';
import { Pool } from 'pg';
import { toErrorPayload } from '../errors/to-error-payload';
import { createPgPool } from './pg-pool';

const settings = (url: string, overrides: Partial<Parameters<typeof createPgPool>[0]> = {}) => ({
  DATABASE_URL: url,
  DATABASE_POOL_SIZE: 2,
  DATABASE_CONNECT_TIMEOUT_MS: 300,
  DATABASE_QUERY_TIMEOUT_MS: 1000,
  ...overrides,
});
// the PostgreSQL on this machine, as libs/testing finds it (nest-kit may not depend on the testing lib)
const testDatabaseUrl = () =>
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const quiet = { warn: () => undefined } as never;

/** The service's PostgreSQL pool through an outage: no crash, calls that fail fast as 503, recovery on its own. */
describe('PostgreSQL pool', () => {
  let admin: Pool;
  beforeAll(() => (admin = new Pool({ connectionString: testDatabaseUrl(), max: 1 })));
  afterAll(() => admin.end());

  it('survives its connection being killed while a client is checked out, and carries on with new ones', async () => {
    const pool = createPgPool(settings(testDatabaseUrl()), quiet);
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const lost = new Promise((resolve) => client.once('error', resolve));
      // PostgreSQL ends this (our own) backend as it does on a restart; no query is running on the client
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await lost; // emitted to our listener: without one, this 'error' would be an uncaught exception
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('fails at once, as a 503, while nothing listens on the database port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const pool = createPgPool(settings(`postgres://postgres@127.0.0.1:${port}/postgres`), quiet);
    try {
      const started = Date.now();
      const error = await pool.query('SELECT 1').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(toErrorPayload(error)).toMatchObject({
        status: 503,
        payload: { code: 'unavailable', details: { retryAfterSeconds: expect.any(Number) } },
      });
    } finally {
      await pool.end();
    }
  });

  it('gives up on a server that accepts connections but never answers, after the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const pool = createPgPool(settings(`postgres://postgres@127.0.0.1:${port}/postgres`), quiet);
    try {
      const started = Date.now();
      const error = await pool.query('SELECT 1').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(toErrorPayload(error).status).toBe(503);
    } finally {
      await pool.end();
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('bounds a query the server stops answering', async () => {
    const pool = createPgPool(settings(testDatabaseUrl(), { DATABASE_QUERY_TIMEOUT_MS: 1000 }), quiet);
    try {
      const started = Date.now();
      const error = await pool.query('SELECT pg_sleep(5)').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(toErrorPayload(error).status).toBe(503);
    } finally {
      await pool.end();
    }
  });
});
