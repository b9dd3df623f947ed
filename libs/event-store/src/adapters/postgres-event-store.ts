import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import {
  AppendResult,
  assertExpectedRevision,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { createAppendSignal, waitForSignal } from './append-signal';
import { findIdempotentAppend } from './idempotency';
import { applyMigrations, Migration } from '../migrations/schema-migrations';
import { prepared, quoteIdent, quoteLiteral, withTransaction } from '../sql';
import { createRecentEvents } from './recent-events';
import { sharedReads } from './shared-reads';

export interface PostgresEventStoreOptions {
  pool: Pool;
  /** Each service keeps its events in its own schema. */
  schema: string;
}

interface EventRow {
  global_position: string;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  event_type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  created_at: Date;
}

const toRecorded = (r: EventRow): RecordedEvent => ({
  id: r.event_id,
  type: r.event_type,
  data: r.data,
  metadata: r.metadata,
  streamName: r.stream_name,
  revision: BigInt(r.stream_revision),
  position: BigInt(r.global_position),
  createdAt: r.created_at,
});

const COLUMNS = 'global_position, event_id, stream_name, stream_revision, event_type, data, metadata, created_at';
const EVENT_COLUMNS = COLUMNS.split(', ')
  .map((c) => `e.${c}`)
  .join(', ');

/** The store's tables, as ordered migrations; the first is the DDL databases made before migrations already have. */
export const eventStoreMigrations: Migration[] = [
  {
    version: 1,
    name: 'streams and events',
    async up(client, schema) {
      const s = quoteIdent(schema);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.streams (
        stream_name text PRIMARY KEY,
        revision bigint NOT NULL)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.events (
        global_position bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        stream_name text NOT NULL,
        stream_revision bigint NOT NULL,
        event_type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stream_name, stream_revision))`);
    },
  },
];

/** Creates or upgrades the schema and tables. Safe to run from many processes at once. */
export async function migratePostgresEventStore(pool: Pool, schema: string): Promise<void> {
  await applyMigrations(pool, schema, 'event-store', eventStoreMigrations);
}

/**
 * Event store on PostgreSQL. Appends take a transaction-scoped advisory lock
 * per schema so global positions become visible in commit order: a reader
 * following `global_position > checkpoint` can never skip an event that
 * commits late. That serialises appends within one service's store, which is
 * well within what one service needs (see bench/).
 */
export function createPostgresEventStore({ pool, schema }: PostgresEventStoreOptions): EventStore {
  const s = quoteIdent(schema);
  const channel = `events_${schema}`.slice(0, 63);
  const appended = createAppendSignal();
  let listener: Promise<PoolClient> | undefined;
  let closed = false;
  const appendLock = `SELECT pg_advisory_xact_lock(hashtext(${quoteLiteral(`append:${schema}`)}))`;
  /**
   * The highest position this process knows committed (its own appends, the notifications), and a
   * count of such news: a read already under way may join only if it began after the latest news,
   * so sharing one read between a service's projectors and relay never hides an event from them.
   */
  let knownHead = 0n;
  let news = 0;
  const learned = (position: bigint) => {
    if (position <= knownHead) return;
    knownHead = position;
    news += 1;
  };
  const shared = sharedReads(() => news);
  /**
   * Listening, and the head read after LISTEN began: from then on every commit is known here once its
   * notification arrives, so a read from the known head needs no query (finding nothing new is what a
   * query sent a moment earlier would have found), and neither does the head itself.
   */
  let live = false;
  const recent = createRecentEvents();

  function listen(): Promise<PoolClient> {
    listener ??= (async () => {
      const client = await pool.connect();
      client.on('notification', (message) => {
        learned(/^\d+$/.test(message.payload ?? '') ? BigInt(message.payload!) : 0n);
        appended.emit('append');
      });
      // A dropped listener connection must not leave waiters asleep: polling covers the gap, and the next wait reconnects.
      client.on('error', () => {
        live = false;
        listener = undefined;
        client.release(true);
      });
      await client.query(`LISTEN ${quoteIdent(channel)}`);
      await queryHead();
      live = !closed;
      return client;
    })();
    return listener;
  }

  async function append(
    client: PoolClient,
    streamName: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    // The append lock came with BEGIN. One statement then reads the stream's revision and any of these
    // events already stored (a retried append): always one row, plus one per event found.
    const ids = events.map((e) => e.id).filter(Boolean);
    const { rows: stored } = await client.query<Partial<EventRow> & { current_revision: string | null }>(
      prepared(
        `SELECT ${EVENT_COLUMNS}, (SELECT revision FROM ${s}.streams WHERE stream_name = $1) AS current_revision
       FROM (SELECT 1) AS one LEFT JOIN ${s}.events e ON e.event_id = ANY($2::uuid[])`,
        [streamName, ids],
      ),
    );
    if (ids.length > 0) {
      const found = new Map(stored.filter((r) => r.event_id).map((r) => [r.event_id!, toRecorded(r as EventRow)]));
      const repeat = findIdempotentAppend(streamName, events, (id) => found.get(id));
      if (repeat) return repeat;
    }
    const current = stored[0].current_revision === null ? 'no_stream' : BigInt(stored[0].current_revision);
    assertExpectedRevision(streamName, expected, current);

    const first = current === 'no_stream' ? 0n : current + 1n;
    const values: unknown[] = [];
    const tuples = events.map((event, i) => {
      const base = i * 6;
      values.push(
        event.id ?? randomUUID(),
        streamName,
        (first + BigInt(i)).toString(),
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata ?? {}),
      );
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb, $${base + 6}::jsonb)`;
    });
    const last = first + BigInt(events.length - 1);
    const n = values.length;
    values.push(streamName, last.toString(), channel);
    // One statement for the events, the stream's revision and the notification: every round trip here
    // is made while holding the store's append lock, so each one delays every other append.
    const { rows } = await client.query<{ position: string }>(
      prepared(
        `WITH inserted AS (
         INSERT INTO ${s}.events (event_id, stream_name, stream_revision, event_type, data, metadata)
         VALUES ${tuples.join(', ')} RETURNING global_position),
       revision AS (
         INSERT INTO ${s}.streams (stream_name, revision) VALUES ($${n + 1}, $${n + 2})
         ON CONFLICT (stream_name) DO UPDATE SET revision = EXCLUDED.revision),
       head AS (SELECT max(global_position) AS position FROM inserted)
       SELECT head.position::text AS position, pg_notify($${n + 3}, head.position::text) FROM head`,
        values,
      ),
    );
    const position = BigInt(rows[0].position);
    return { nextExpectedRevision: last, position };
  }

  async function queryHead(): Promise<bigint> {
    const { rows } = await pool.query<{ max: string | null }>(`SELECT max(global_position) AS max FROM ${s}.events`);
    const head = BigInt(rows[0].max ?? 0);
    learned(head);
    return head;
  }

  const store: EventStore = {
    name: 'postgres',
    async readStream(streamName: string, options: ReadStreamOptions = {}) {
      const { rows } = await pool.query<EventRow>(
        prepared(
          `SELECT ${COLUMNS} FROM ${s}.events WHERE stream_name = $1 AND stream_revision >= $2
         ORDER BY stream_revision LIMIT $3`,
          [streamName, (options.fromRevision ?? 0n).toString(), options.maxCount ?? null],
        ),
      );
      return rows.map(toRecorded);
    },

    async appendToStream(
      streamName: string,
      events: NewEvent[],
      { expectedRevision }: { expectedRevision: ExpectedRevision },
    ) {
      if (events.length === 0) throw new Error('appendToStream needs at least one event');
      const result = await withTransaction(pool, (client) => append(client, streamName, events, expectedRevision), {
        begin: appendLock,
      });
      learned(result.position);
      return result;
    },

    // A service's projectors and relay wake together on each append and read the same few new events.
    async readAll(options: ReadAllOptions = {}) {
      const after = options.after ?? 0n;
      const maxCount = options.maxCount ?? 1000;
      if (live && after >= knownHead) return [];
      const held = recent.read(after, maxCount);
      if (held && (held.events.length === maxCount || (live && held.reachesTo >= knownHead))) return held.events;
      const page = await shared(`all:${after}:${maxCount}`, async () => {
        const { rows } = await pool.query<EventRow>(
          prepared(`SELECT ${COLUMNS} FROM ${s}.events WHERE global_position > $1 ORDER BY global_position LIMIT $2`, [
            after.toString(),
            maxCount,
          ]),
        );
        return rows.map(toRecorded);
      });
      recent.remember(after, page);
      return page.slice();
    },

    async waitForAppend(after: bigint, timeoutMs: number) {
      if (closed) return;
      await listen().catch(() => undefined);
      await waitForSignal(appended, timeoutMs, async () => knownHead > after || (await store.headPosition()) > after);
    },

    headPosition: async () => (live ? knownHead : shared('head', queryHead)),

    async close() {
      closed = true;
      live = false;
      appended.emit('append');
      if (listener) {
        const client = await listener.catch(() => undefined);
        if (client) {
          await client.query(`UNLISTEN *`).catch(() => undefined);
          client.release();
        }
      }
    },
  };
  return store;
}
