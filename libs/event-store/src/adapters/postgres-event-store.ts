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
import { prepared, quoteIdent, quoteLiteral } from '../sql';
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

interface AppendRow {
  r_outcome: 'appended' | 'found' | 'conflict';
  r_revision: string | null;
  r_position: string | null;
  r_event_id: string | null;
  r_stream: string | null;
  r_stream_revision: string | null;
}

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
  {
    version: 2,
    name: 'append in one statement',
    up: createAppendFunction,
  },
  {
    // Version 2's function took a numeric expected revision of a missing stream as met (NULL = n is not
    // false); both steps now create the corrected function, so the result is the same however a schema got here.
    version: 3,
    name: 'append: a numeric revision expected of a missing stream conflicts',
    up: createAppendFunction,
  },
];

async function createAppendFunction(client: PoolClient, schema: string): Promise<void> {
  await client.query(appendFunction(schema));
}

/** Where a store's appends are announced (the last event's position), for the processes that listen. */
const notifyChannel = (schema: string) => `events_${schema}`.slice(0, 63);

/**
 * The append as one function, so it costs one round trip. Under READ COMMITTED each statement in a
 * function sees what committed before it began, so the revision read after taking the lock is current;
 * the lock is the one every version of this store takes (`append:<schema>`), held to the commit, which
 * makes positions visible in order. Outcomes: `found` (rows of these ids already stored: a retry or a
 * conflict, the caller tells which), `conflict` (the expected revision does not hold; the actual one
 * is returned) or `appended` (the new revision and the last event's position).
 */
function appendFunction(schema: string): string {
  const s = quoteIdent(schema);
  const channel = notifyChannel(schema);
  return `CREATE OR REPLACE FUNCTION ${s}.append_to_stream(p_stream text, p_expected text, p_events jsonb)
  RETURNS TABLE (r_outcome text, r_revision bigint, r_position bigint, r_event_id uuid, r_stream text, r_stream_revision bigint)
  LANGUAGE plpgsql AS $fn$
DECLARE
  v_current bigint;
  v_first bigint;
  v_head bigint;
  v_count bigint := jsonb_array_length(p_events);
  v_ids uuid[] := ARRAY(SELECT (x ->> 'id')::uuid FROM jsonb_array_elements(p_events) AS x);
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(${quoteLiteral(`append:${schema}`)}));
  SELECT st.revision INTO v_current FROM ${s}.streams st WHERE st.stream_name = p_stream;
  RETURN QUERY SELECT 'found'::text, v_current, e.global_position, e.event_id, e.stream_name, e.stream_revision
    FROM ${s}.events e WHERE e.event_id = ANY (v_ids);
  IF FOUND THEN RETURN; END IF;
  IF NOT (p_expected = 'any'
      OR (p_expected = 'no_stream' AND v_current IS NULL)
      OR (p_expected = 'stream_exists' AND v_current IS NOT NULL)
      OR (p_expected ~ '^[0-9]+$' AND v_current IS NOT DISTINCT FROM p_expected::bigint)) THEN
    RETURN QUERY SELECT 'conflict'::text, v_current, NULL::bigint, NULL::uuid, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  v_first := coalesce(v_current + 1, 0);
  WITH inserted AS (
    INSERT INTO ${s}.events (event_id, stream_name, stream_revision, event_type, data, metadata)
    SELECT (x ->> 'id')::uuid, p_stream, v_first + i - 1, x ->> 'type', x -> 'data', x -> 'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(x, i) ORDER BY i
    RETURNING global_position)
  SELECT max(global_position) INTO v_head FROM inserted;
  INSERT INTO ${s}.streams (stream_name, revision) VALUES (p_stream, v_first + v_count - 1)
    ON CONFLICT (stream_name) DO UPDATE SET revision = EXCLUDED.revision;
  PERFORM pg_notify(${quoteLiteral(channel)}, v_head::text);
  RETURN QUERY SELECT 'appended'::text, v_first + v_count - 1, v_head, NULL::uuid, NULL::text, NULL::bigint;
END
$fn$`;
}

/** The smallest page `readAll` asks PostgreSQL for: the usual batch sizes (projectors 200, relay 100, workers 50). */
const SHARED_PAGE = 200;
/** Events kept from the latest reads (with their data), two shared pages, so a reader a moment late finds its page here. */
const RECENT_EVENTS = 2 * SHARED_PAGE;

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
  const channel = notifyChannel(schema);
  const appended = createAppendSignal();
  let listener: Promise<PoolClient> | undefined;
  let closed = false;
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
  const recent = createRecentEvents(RECENT_EVENTS);

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

  /**
   * One round trip: `append_to_stream` (below) takes the append lock, finds a retried append, checks
   * the expected revision and writes, inside the statement's own transaction. Each round trip made
   * under the lock delays every other append of the service, and on this platform a round trip costs
   * more than the statements themselves.
   */
  async function append(streamName: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const payload = events.map((event) => ({
      id: event.id ?? randomUUID(),
      type: event.type,
      data: event.data,
      metadata: event.metadata ?? {},
    }));
    const { rows } = await pool.query<AppendRow>(
      prepared(`SELECT * FROM ${s}.append_to_stream($1, $2, $3::jsonb)`, [
        streamName,
        String(expected),
        JSON.stringify(payload),
      ]),
    );
    if (rows[0].r_outcome === 'found') {
      const found = new Map(
        rows.map((r) => [
          r.r_event_id!,
          {
            id: r.r_event_id!,
            streamName: r.r_stream!,
            revision: BigInt(r.r_stream_revision!),
            position: BigInt(r.r_position!),
          },
        ]),
      );
      // a retry of an append that committed, or (ids found only partly, or in another stream) a conflict it throws
      const repeat = findIdempotentAppend(streamName, events, (id) => found.get(id));
      if (repeat) return repeat;
      throw new Error(`append_to_stream found events of ${streamName} that are neither a retry nor a conflict`);
    }
    if (rows[0].r_outcome === 'conflict') {
      const current = rows[0].r_revision === null ? 'no_stream' : BigInt(rows[0].r_revision);
      assertExpectedRevision(streamName, expected, current);
      throw new Error(
        `append_to_stream refused ${streamName} at revision ${String(current)}, expected ${String(expected)}`,
      );
    }
    return { nextExpectedRevision: BigInt(rows[0].r_revision!), position: BigInt(rows[0].r_position!) };
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
      const result = await append(streamName, events, expectedRevision);
      learned(result.position);
      return result;
    },

    // A service's projectors, relay and workers wake together on each append and read the same few new events.
    async readAll(options: ReadAllOptions = {}) {
      const after = options.after ?? 0n;
      const maxCount = options.maxCount ?? 1000;
      if (live && after >= knownHead) return [];
      const held = recent.read(after, maxCount);
      if (held && (held.events.length === maxCount || (live && held.reachesTo >= knownHead))) return held.events;
      // Near the head, one page size for every small reader, so readers of different batch sizes woken by
      // the same appends share the query (a reader further behind reads only its own batch). A page shorter
      // than its size reached the end, so one shorter than maxCount still means the end to this caller.
      const nearHead = live && knownHead - after <= BigInt(SHARED_PAGE);
      const pageSize = nearHead ? Math.max(maxCount, SHARED_PAGE) : maxCount;
      const page = await shared(`all:${after}:${pageSize}`, async () => {
        const { rows } = await pool.query<EventRow>(
          prepared(`SELECT ${COLUMNS} FROM ${s}.events WHERE global_position > $1 ORDER BY global_position LIMIT $2`, [
            after.toString(),
            pageSize,
          ]),
        );
        return rows.map(toRecorded);
      });
      recent.remember(after, page);
      return page.slice(0, maxCount);
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
