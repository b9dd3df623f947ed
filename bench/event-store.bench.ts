// Event store throughput and latency: PostgreSQL adapter (and EventStoreDB in a container, where
// Docker or Podman exists) against the in-memory one as the baseline measured in the same run.
// `npm run bench:event-store`
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  createEventStoreDbEventStore,
  createMemoryEventStore,
  createPostgresEventStore,
  EventStore,
  migratePostgresEventStore,
} from '@study-buddy/event-store';
import { containerRuntime, startEventStoreDb } from '@study-buddy/testing';
import { percentiles, printTable, timed } from './stats';

const OPS = Number(process.env.BENCH_OPS ?? 2000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const event = (n: number) => ({
  type: 'Benchmarked',
  data: { n, text: 'a typical small event payload with a few fields', at: new Date().toISOString() },
});

async function measure(name: string, store: EventStore) {
  // 1. sequential single-event appends, each creating a stream (the common command shape)
  const latencies: number[] = [];
  const [, sequentialMs] = await timed(async () => {
    for (let i = 0; i < OPS; i++) {
      const [, ms] = await timed(() =>
        store.appendToStream(`bench-${randomUUID()}`, [event(i)], { expectedRevision: 'no_stream' }),
      );
      latencies.push(ms);
    }
  });
  // 2. concurrent writers on distinct streams
  const [, concurrentMs] = await timed(() =>
    Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const stream = `bench-${randomUUID()}`;
        let expected: bigint | 'no_stream' = 'no_stream';
        for (let i = 0; i < OPS / WRITERS; i++) {
          expected = (await store.appendToStream(stream, [event(w * OPS + i)], { expectedRevision: expected }))
            .nextExpectedRevision;
        }
      }),
    ),
  );
  // 3. catch-up read of everything written, in pages
  const [read, readMs] = await timed(async () => {
    let after = 0n;
    let count = 0;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      if (page.length === 0) return count;
      count += page.length;
      after = page[page.length - 1].position;
    }
  });
  const p = percentiles(latencies);
  return {
    store: name,
    'append p50 ms': p.p50,
    'append p99 ms': p.p99,
    'sequential appends/s': OPS / (sequentialMs / 1000),
    [`${WRITERS} writers appends/s`]: OPS / (concurrentMs / 1000),
    'readAll events/s': read / (readMs / 1000),
  };
}

async function main() {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    max: WRITERS + 2,
  });
  const schema = `bench_${randomUUID().slice(0, 8)}`;
  try {
    await migratePostgresEventStore(pool, schema);
    const memory = await measure('memory (baseline)', createMemoryEventStore());
    const postgres = await measure('postgres', createPostgresEventStore({ pool, schema }));
    const rows = [memory, postgres];
    const runtime = containerRuntime();
    if (runtime.available) {
      const server = await startEventStoreDb();
      const store = createEventStoreDbEventStore({
        connectionString: server.connectionString,
        streamPrefixes: ['bench-'],
      });
      try {
        rows.push(await measure('eventstoredb', store));
      } finally {
        await store.close();
        await server.stop();
      }
    } else {
      console.log(`eventstoredb row skipped: no container runtime (${runtime.reason})`);
    }
    printTable(`Event store, ${OPS} appends per scenario`, rows);
    console.log(
      `postgres / memory sequential append throughput: ${(Number(postgres['sequential appends/s']) / Number(memory['sequential appends/s'])).toFixed(4)}`,
    );
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
