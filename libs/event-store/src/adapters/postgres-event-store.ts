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
import { quoteIdent, withTransaction } from '../sql';

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

  function listen(): Promise<PoolClient> {
    listener ??= (async () => {
      const client = await pool.connect();
      client.on('notification', () => appended.emit('append'));
      // A dropped listener connection must not leave waiters asleep: polling covers the gap, and the next wait reconnects.
      client.on('error', () => {
        listener = undefined;
        client.release(true);
      });
      await client.query(`LISTEN ${quoteIdent(channel)}`);
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
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`append:${schema}`]);
    const ids = events.map((e) => e.id).filter(Boolean);
    if (ids.length > 0) {
      const { rows } = await client.query<EventRow>(
        `SELECT ${COLUMNS} FROM ${s}.events WHERE event_id = ANY($1::uuid[])`,
        [ids],
      );
      const found = new Map(rows.map((r) => [r.event_id, toRecorded(r)]));
      const repeat = findIdempotentAppend(streamName, events, (id) => found.get(id));
      if (repeat) return repeat;
    }
    const { rows: streamRows } = await client.query<{ revision: string }>(
      `SELECT revision FROM ${s}.streams WHERE stream_name = $1`,
      [streamName],
    );
    const current = streamRows.length > 0 ? BigInt(streamRows[0].revision) : 'no_stream';
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
      `WITH inserted AS (
         INSERT INTO ${s}.events (event_id, stream_name, stream_revision, event_type, data, metadata)
         VALUES ${tuples.join(', ')} RETURNING global_position),
       revision AS (
         INSERT INTO ${s}.streams (stream_name, revision) VALUES ($${n + 1}, $${n + 2})
         ON CONFLICT (stream_name) DO UPDATE SET revision = EXCLUDED.revision),
       head AS (SELECT max(global_position) AS position FROM inserted)
       SELECT head.position::text AS position, pg_notify($${n + 3}, head.position::text) FROM head`,
      values,
    );
    const position = BigInt(rows[0].position);
    return { nextExpectedRevision: last, position };
  }

  const store: EventStore = {
    name: 'postgres',
    async readStream(streamName: string, options: ReadStreamOptions = {}) {
      const { rows } = await pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM ${s}.events WHERE stream_name = $1 AND stream_revision >= $2
         ORDER BY stream_revision LIMIT $3`,
        [streamName, (options.fromRevision ?? 0n).toString(), options.maxCount ?? null],
      );
      return rows.map(toRecorded);
    },

    async appendToStream(
      streamName: string,
      events: NewEvent[],
      { expectedRevision }: { expectedRevision: ExpectedRevision },
    ) {
      if (events.length === 0) throw new Error('appendToStream needs at least one event');
      return withTransaction(pool, (client) => append(client, streamName, events, expectedRevision));
    },

    async readAll(options: ReadAllOptions = {}) {
      const { rows } = await pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM ${s}.events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [(options.after ?? 0n).toString(), options.maxCount ?? 1000],
      );
      return rows.map(toRecorded);
    },

    async waitForAppend(after: bigint, timeoutMs: number) {
      if (closed) return;
      await listen().catch(() => undefined);
      await waitForSignal(appended, timeoutMs, async () => (await store.headPosition()) > after);
    },

    async headPosition() {
      const { rows } = await pool.query<{ max: string | null }>(`SELECT max(global_position) AS max FROM ${s}.events`);
      return BigInt(rows[0].max ?? 0);
    },

    async close() {
      closed = true;
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
