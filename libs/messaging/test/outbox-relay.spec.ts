import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { JSONCodec } from 'nats';
import { Pool } from 'pg';
import {
  createLocalLeaderLock,
  createMemoryCheckpointStore,
  createMemoryEventStore,
  createPostgresEventStore,
  EventStore,
  loadCheckpoint,
  migrateCheckpoints,
  migratePostgresEventStore,
} from '@study-buddy/event-store';
import { createTestPool, dropSchema, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor } from '@study-buddy/testing';
import { createOutboxRelay } from '../src';
import { useJetStream } from './support/jetstream-fixture';

const register = path.resolve(__dirname, '../../testing/ts-register.js');
const child = path.resolve(__dirname, 'fixtures/relay-child.ts');
const codec = JSONCodec<{ id: string; type: string; data: { n: number }; source: string }>();

describe('outbox relay', () => {
  const js = useJetStream();

  async function publishedEvents() {
    const info = await js.jsm.streams.info(js.topology.eventsStream);
    const seen = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await js.jsm.streams.getMessage(js.topology.eventsStream, { seq });
      seen.push({ subject: m.subject, ...codec.decode(m.data) });
    }
    return seen;
  }

  it('publishes only mapped events, under evt.<service>.<type>, with the envelope', async () => {
    const store = createMemoryEventStore();
    await store.appendToStream(
      'video-1',
      [
        { type: 'VideoSubmitted', data: { n: 1 }, metadata: { correlationId: 'c-1' } },
        { type: 'Private', data: { n: 2 } },
      ],
      { expectedRevision: 'no_stream' },
    );
    const relay = createOutboxRelay({
      service: 'videos',
      store,
      checkpoints: createMemoryCheckpointStore(),
      js: js.nc.jetstream(),
      namespace: js.topology.namespace,
      leader: createLocalLeaderLock(),
      map: (e) => (e.type === 'Private' ? null : { type: e.type, version: 1, data: e.data }),
    });
    relay.start();
    await waitFor(() => relay.position === 2n, { what: 'relay to pass both events' });
    await relay.stop();
    const published = await publishedEvents();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      subject: `${js.topology.namespace}evt.videos.VideoSubmitted`,
      type: 'VideoSubmitted',
      source: 'videos',
      data: { n: 1 },
    });
  });

  it('saves its checkpoint once per batch, and reads it again only when it leads anew', async () => {
    const store = createMemoryEventStore();
    const append = (n: number) =>
      store.appendToStream(`video-${randomUUID()}`, [{ type: 'VideoSubmitted', data: { n } }], {
        expectedRevision: 'no_stream',
      });
    for (let n = 1; n <= 3; n++) await append(n);
    const checkpoints = createMemoryCheckpointStore();
    const saves: bigint[] = [];
    let loads = 0;
    let term = 1;
    let leading = true;
    const relay = createOutboxRelay({
      service: 'videos',
      store,
      checkpoints: {
        load: (name) => (loads++, checkpoints.load(name)),
        save: (name, position) => (saves.push(position), checkpoints.save(name, position)),
      },
      js: js.nc.jetstream(),
      namespace: js.topology.namespace,
      leader: {
        acquire: async () => leading,
        release: async () => undefined,
        get term() {
          return term;
        },
      },
      map: (e) => ({ type: e.type, version: 1, data: e.data }),
      idleTimeoutMs: 50,
    });
    relay.start();
    await waitFor(() => relay.position === 3n, { what: 'the first batch' });
    expect(saves).toEqual([3n]);
    expect(loads).toBe(1);
    // another replica leads for a while and publishes the fourth event
    leading = false;
    await append(4);
    await checkpoints.save('outbox-relay', 4n);
    term += 1;
    leading = true;
    await append(5);
    await waitFor(() => relay.position === 5n, { what: 'the fifth event', timeoutMs: 5000 });
    await relay.stop();
    expect(loads).toBe(2);
    expect((await publishedEvents()).map((e) => e.data.n)).toEqual([1, 2, 3, 5]);
  });

  it('saves a batch it published at once, and one of events it does not publish lazily', async () => {
    const store = createMemoryEventStore();
    const append = (type: string, n: number) =>
      store.appendToStream(`video-${randomUUID()}`, [{ type, data: { n } }], { expectedRevision: 'no_stream' });
    const checkpoints = createMemoryCheckpointStore();
    const saves: bigint[] = [];
    const relay = createOutboxRelay({
      service: 'videos',
      store,
      checkpoints: { load: checkpoints.load, save: (name, p) => (saves.push(p), checkpoints.save(name, p)) },
      js: js.nc.jetstream(),
      namespace: js.topology.namespace,
      leader: createLocalLeaderLock(),
      map: (e) => (e.type === 'Private' ? null : { type: e.type, version: 1, data: e.data }),
      idleTimeoutMs: 50,
      // longer than the test: what is only passed over is saved by the next publication, or on stop
      lazySaveMs: 60_000,
    });
    await append('VideoSubmitted', 1);
    relay.start();
    try {
      await waitFor(() => relay.position === 1n, { what: 'the first event' });
      expect(saves).toEqual([1n]);
      // events it does not publish: passed at once, not saved
      await append('Private', 2);
      await waitFor(() => relay.position === 2n, { what: 'the private event' });
      await append('Private', 3);
      await waitFor(() => relay.position === 3n, { what: 'the second private event' });
      expect(saves).toEqual([1n]);
      // a published event is saved at once, with what was passed before it
      await append('VideoSubmitted', 4);
      await waitFor(() => saves.length === 2, { what: 'the save of the published event' });
      expect(saves).toEqual([1n, 4n]);
      await append('Private', 5);
      await waitFor(() => relay.position === 5n, { what: 'the last private event' });
      expect(saves).toEqual([1n, 4n]);
    } finally {
      await relay.stop();
    }
    // stopping saves what was passed over, before it lets go of the leader lock
    expect(saves).toEqual([1n, 4n, 5n]);
    expect((await publishedEvents()).map((e) => e.data.n)).toEqual([1, 4]);
  });

  describe('with PostgreSQL, killed mid-way', () => {
    let pool: Pool;
    let schema: string;
    let store: EventStore;

    beforeEach(async () => {
      pool = createTestPool();
      schema = uniqueSchema('relay');
      await migratePostgresEventStore(pool, schema);
      await migrateCheckpoints(pool, schema);
      store = createPostgresEventStore({ pool, schema });
    });

    afterEach(async () => {
      await store.close();
      await dropSchema(pool, schema);
      await pool.end();
    });

    it('publishes every event exactly once across restarts', async () => {
      const total = 400;
      const ids: string[] = [];
      for (let n = 0; n < total; n += 10) {
        const batch = Array.from({ length: 10 }, (_, i) => ({
          id: randomUUID(),
          type: 'VideoProgressed',
          data: { n: n + i },
        }));
        ids.push(...batch.map((e) => e.id));
        await store.appendToStream(`video-${randomUUID()}`, batch, { expectedRevision: 'no_stream' });
      }
      const head = await store.headPosition();
      const checkpoint = () => loadCheckpoint(pool, schema, 'outbox-relay');
      const start = (): ChildProcess =>
        spawn(process.execPath, ['-r', register, child], {
          env: {
            ...process.env,
            SCHEMA: schema,
            DATABASE_URL: testDatabaseUrl(),
            NATS_URL: testNatsUrl(),
            NAMESPACE: js.topology.namespace,
          },
          stdio: ['ignore', 'inherit', 'inherit'],
        });

      for (const stopAt of [60n, 250n]) {
        const proc = start();
        await waitFor(async () => (await checkpoint()) >= stopAt, {
          timeoutMs: 30_000,
          intervalMs: 2,
          what: `relay checkpoint ${stopAt}`,
        });
        proc.kill('SIGKILL');
        await new Promise((r) => proc.once('exit', r));
      }
      const proc = start();
      await waitFor(async () => (await checkpoint()) >= head, { timeoutMs: 30_000, what: 'relay to reach head' });
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));

      const published = await publishedEvents();
      expect(published.map((e) => e.id)).toEqual(ids);
      expect(published.map((e) => e.data.n)).toEqual(Array.from({ length: total }, (_, i) => i));
    }, 90_000);
  });
});
