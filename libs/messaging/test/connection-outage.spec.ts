import net from 'node:net';
import { connect, NatsConnection } from 'nats';
import { testNatsUrl, uniqueNamespace } from '@study-buddy/testing';
import { RpcClient, trackConnection } from '../src';

/** A NATS server that can be taken away: a local TCP forwarder to the real one. */
function natsThatCanGoAway(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  return {
    port: 0,
    async up(port = 0) {
      server = net.createServer((socket) => {
        const upstream = net.connect(Number(target.port || 4222), target.hostname);
        sockets.add(socket).add(upstream);
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      this.port = (server.address() as net.AddressInfo).port;
    },
    async down() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise((resolve) => server?.close(resolve));
    },
  };
}

describe('an RPC call while the message bus is down', () => {
  const subject = `${uniqueNamespace().subjects}test.echo`;
  const nats = natsThatCanGoAway(new URL(testNatsUrl()));
  let responder: NatsConnection;
  let nc: NatsConnection;

  beforeAll(async () => {
    responder = await connect({ servers: testNatsUrl() });
    // Nest's NATS wire format: { response } on the reply subject.
    responder.subscribe(subject, {
      callback: (_e, msg) => msg.respond(JSON.stringify({ response: { ok: true }, isDisposed: true })),
    });
    await responder.flush();
    await nats.up();
    nc = await connect({ servers: `127.0.0.1:${nats.port}`, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });
  afterAll(async () => {
    await nc.close();
    await responder.close();
    await nats.down();
  });

  it('fails at once with a retryable 503 instead of waiting for its timeout, and works again after reconnecting', async () => {
    const state = trackConnection('test', nc);
    const client = new RpcClient(nc, 5000, '', state);
    await expect(client.request(subject, {})).resolves.toEqual({ ok: true });

    await nats.down();
    const deadline = Date.now() + 5000;
    while (state.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(state.connected).toBe(false);
    expect(state.closed).toBe(false);

    const started = Date.now();
    await expect(client.request(subject, {})).rejects.toMatchObject({
      code: 'unavailable',
      details: { retryAfterSeconds: 2 },
    });
    expect(Date.now() - started).toBeLessThan(100);

    await nats.up(nats.port);
    while (!state.connected && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(state.connected).toBe(true);
    await expect(client.request(subject, {})).resolves.toEqual({ ok: true });
  });

  it('reports a connection closed for good, which no reconnect will bring back', async () => {
    const other = await connect({ servers: testNatsUrl() });
    const state = trackConnection('closing', other);
    await other.close();
    expect(state).toMatchObject({ connected: false, closed: true });
  });
});
