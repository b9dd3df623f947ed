// Reserve latency on a credit account with 20,000 past ledger entries against a fresh account,
// measured in the same run, on the PostgreSQL event store. `npm run bench:ledger`
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { BillingEvent, BillingEvents } from '@study-buddy/contracts';
import {
  createPostgresEventStore,
  createPostgresSnapshotStore,
  EventStore,
  handleCommand,
  migratePostgresEventStore,
  SnapshotOptions,
} from '@study-buddy/event-store';
// The benchmark measures billing's own ledger commands, so it reaches into the service as its specs do.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { accountDecider, accountStream } from '../services/billing/src/domain/account.decider';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ACCOUNT_STATE_VERSION, SNAPSHOT_EVERY } from '../services/billing/src/ledger.service';
import { percentiles, printTable, timed } from './stats';

const OPS = Number(process.env.BENCH_OPS ?? 300);
const PAST = Number(process.env.BENCH_PAST_ENTRIES ?? 20_000);
const now = () => new Date().toISOString();

function reserve(store: EventStore, userId: string, snapshots?: SnapshotOptions) {
  return handleCommand(
    store,
    accountStream(userId),
    accountDecider,
    { type: 'ReserveCredit', userId, videoId: randomUUID(), now: now() },
    { schemas: BillingEvents, snapshots },
  );
}

/** An account whose ledger already holds `entries` events: the signup grant, then reserve + capture pairs. */
async function longHistory(store: EventStore, entries: number): Promise<string> {
  const userId = randomUUID();
  const stream = accountStream(userId);
  const events: BillingEvent[] = [
    { type: 'AccountOpened', data: { userId, openedAt: now() } },
    { type: 'CreditsGranted', data: { userId, amount: entries + OPS * 2, reason: 'signup', grantedAt: now() } },
  ];
  while (events.length < entries) {
    const videoId = randomUUID();
    events.push({ type: 'CreditReserved', data: { userId, videoId, amount: 1, reservedAt: now() } });
    events.push({ type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: now() } });
  }
  let expected: bigint | 'no_stream' = 'no_stream';
  for (let i = 0; i < events.length; i += 1000) {
    const batch = events.slice(i, i + 1000).map((e) => ({ ...e, metadata: { schemaVersion: 1 } }));
    expected = (await store.appendToStream(stream, batch, { expectedRevision: expected })).nextExpectedRevision;
  }
  return userId;
}

async function measure(label: string, ops: number, op: () => Promise<unknown>) {
  const latencies: number[] = [];
  const [, totalMs] = await timed(async () => {
    for (let i = 0; i < ops; i++) latencies.push((await timed(op))[1]);
  });
  const p = percentiles(latencies);
  return { account: label, 'reserve p50 ms': p.p50, 'reserve p99 ms': p.p99, 'reserves/s': ops / (totalMs / 1000) };
}

async function main() {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    max: 4,
  });
  const schema = `bench_${randomUUID().slice(0, 8)}`;
  try {
    await migratePostgresEventStore(pool, schema);
    const store = createPostgresEventStore({ pool, schema });
    const snapshots: SnapshotOptions = {
      store: createPostgresSnapshotStore({ pool, schema }),
      version: ACCOUNT_STATE_VERSION,
      every: SNAPSHOT_EVERY,
    };
    // Baseline: each reserve on a newly opened account (3 events in its ledger); the opening is not timed.
    const fresh = await reserveOnFresh(store, snapshots);
    const long = await longHistory(store, PAST);
    await reserve(store, long, snapshots); // the first command reads it all once and leaves a snapshot
    const snapshotted = await measure(`${PAST} past entries, snapshots`, OPS, () => reserve(store, long, snapshots));
    const whole = await measure(`${PAST} past entries, whole stream`, Math.max(5, OPS / 20), () =>
      reserve(store, long),
    );
    printTable(`Credit ledger: ReserveCredit on PostgreSQL, ${OPS} reserves per row`, [fresh, snapshotted, whole]);
    const ratio = Number(snapshotted['reserve p50 ms']) / Number(fresh['reserve p50 ms']);
    console.log(`p50 with ${PAST} past entries (snapshots) / fresh account: ${ratio.toFixed(2)}x`);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

/** Reserve latency alone, each on an account opened just before (not timed). */
async function reserveOnFresh(store: EventStore, snapshots: SnapshotOptions) {
  const latencies: number[] = [];
  let total = 0;
  for (let i = 0; i < OPS; i++) {
    const userId = randomUUID();
    await handleCommand(store, accountStream(userId), accountDecider, {
      type: 'OpenAccount',
      userId,
      signupCredits: 3,
      now: now(),
    });
    const [, ms] = await timed(() => reserve(store, userId, snapshots));
    latencies.push(ms);
    total += ms;
  }
  const p = percentiles(latencies);
  return {
    account: 'fresh (baseline)',
    'reserve p50 ms': p.p50,
    'reserve p99 ms': p.p99,
    'reserves/s': OPS / (total / 1000),
  };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
