import net from 'node:net';
import { connect } from 'nats';
import { Client } from 'pg';
import { EventStoreUnavailableError } from '@study-buddy/event-store';
import { isStartingUp, untilAvailable } from './until-available';

/** A free local port, with nothing listening on it yet. */
async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Forwards `port` to a real server, like a Service whose pod has just become ready. */
const sockets = new Set<net.Socket>();
function forward(port: number, targetPort: number): net.Server {
  return net
    .createServer((socket) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      sockets.add(socket).add(upstream);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    })
    .listen(port, '127.0.0.1');
}

const closeServer = (server: net.Server) => new Promise((resolve) => server.close(resolve));

async function postgresVersion(port: number, database = 'postgres'): Promise<string> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query('select version()')).rows[0].version;
  } finally {
    await client.end();
  }
}

describe('waiting for dependencies at start', () => {
  const waits: string[] = [];
  const options = { timeoutMs: 10_000, initialDelayMs: 50, onWait: (what: string) => waits.push(what) };
  let proxy: net.Server | undefined;

  beforeEach(() => (waits.length = 0));
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    if (proxy?.listening) await closeServer(proxy);
  });

  it('waits for PostgreSQL that comes up after the service', async () => {
    const port = await freePort();
    setTimeout(() => (proxy = forward(port, 5432)), 600);
    await expect(untilAvailable('PostgreSQL', () => postgresVersion(port), options)).resolves.toMatch(/PostgreSQL/);
    expect(waits.length).toBeGreaterThan(0);
  });

  it('waits for NATS that comes up after the service', async () => {
    const port = await freePort();
    setTimeout(() => (proxy = forward(port, 4222)), 600);
    const nc = await untilAvailable('NATS', () => connect({ servers: `127.0.0.1:${port}`, reconnect: false }), options);
    await nc.close();
    expect(waits.length).toBeGreaterThan(0);
  });

  it('fails at once on a mistake that waiting cannot fix', async () => {
    const started = Date.now();
    await expect(
      untilAvailable('PostgreSQL', () => postgresVersion(5432, 'no_such_database_here'), options),
    ).rejects.toThrow(/does not exist/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(waits).toEqual([]);
  });

  it('gives up after the timeout with the last error, so the supervisor restarts it', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(
      untilAvailable('PostgreSQL', () => postgresVersion(port), { ...options, timeoutMs: 500 }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('tells starting-up errors from configuration errors', async () => {
    const refused = await postgresVersion(await freePort()).catch((e: unknown) => e);
    const natsRefused = await connect({ servers: `127.0.0.1:${await freePort()}`, reconnect: false }).catch(
      (e: unknown) => e,
    );
    const noDatabase = await postgresVersion(5432, 'no_such_database_here').catch((e: unknown) => e);
    expect([isStartingUp(refused), isStartingUp(natsRefused), isStartingUp(noDatabase)]).toEqual([true, true, false]);
    expect(isStartingUp(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isStartingUp(new TypeError('Invalid URL'))).toBe(false);
    // The EventStoreDB adapter reports a server it cannot reach (starting, restarting, no leader yet) as unavailable.
    expect(isStartingUp(new EventStoreUnavailableError('EventStoreDB', new Error('14 UNAVAILABLE')))).toBe(true);
  });
});
