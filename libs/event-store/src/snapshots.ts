import { Pool } from 'pg';
import { applyMigrations, Migration } from './migrations/schema-migrations';
import { prepared, quoteIdent } from './sql';

/** A stream's state folded up to `revision` (its last event's global `position`), by one state `version`. */
export interface Snapshot {
  revision: bigint;
  position: bigint;
  state: unknown;
}

/**
 * Where folded states are kept so a long stream is not re-read on every command. A cache, not a
 * source of truth: a missing or stale snapshot only costs a longer read, and `version` (the
 * state's shape) is part of the key, so a changed decider never reads an old shape.
 */
export interface SnapshotStore {
  load(streamName: string, version: string): Promise<Snapshot | null>;
  /** Keeps the newer of the stored and the given snapshot. */
  save(streamName: string, version: string, snapshot: Snapshot): Promise<void>;
}

export interface SnapshotOptions {
  store: SnapshotStore;
  /** The state's shape: change it whenever `evolve` or the state type changes. */
  version: string;
  /** Take a new snapshot once this many events were read past the last one. */
  every: number;
}

export function createMemorySnapshotStore(): SnapshotStore {
  const snapshots = new Map<string, Snapshot>();
  return {
    async load(streamName, version) {
      const s = snapshots.get(`${version}/${streamName}`);
      return s ? { ...s, state: structuredClone(s.state) } : null;
    },
    async save(streamName, version, snapshot) {
      const key = `${version}/${streamName}`;
      const current = snapshots.get(key);
      if (!current || current.revision < snapshot.revision)
        snapshots.set(key, { ...snapshot, state: structuredClone(snapshot.state) });
    },
  };
}

const snapshotMigrations: Migration[] = [
  {
    version: 1,
    name: 'snapshots',
    async up(client, schema) {
      await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.snapshots (
        stream_name text NOT NULL,
        version text NOT NULL,
        revision bigint NOT NULL,
        position bigint NOT NULL,
        state jsonb NOT NULL,
        taken_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream_name, version))`);
    },
  },
];

/** Snapshots in the service's PostgreSQL schema (beside its read models, whichever store holds the events). */
export function createPostgresSnapshotStore({ pool, schema }: { pool: Pool; schema: string }): SnapshotStore {
  const table = `${quoteIdent(schema)}.snapshots`;
  let ready: Promise<unknown> | undefined;
  const migrated = () =>
    (ready ??= applyMigrations(pool, schema, 'snapshots', snapshotMigrations)).catch((e) => {
      ready = undefined;
      throw e;
    });
  return {
    async load(streamName, version) {
      await migrated();
      const { rows } = await pool.query<{ revision: string; position: string; state: unknown }>(
        prepared(`SELECT revision, position, state FROM ${table} WHERE stream_name = $1 AND version = $2`, [
          streamName,
          version,
        ]),
      );
      const row = rows[0];
      return row ? { revision: BigInt(row.revision), position: BigInt(row.position), state: row.state } : null;
    },
    async save(streamName, version, snapshot) {
      await migrated();
      await pool.query(
        prepared(
          `INSERT INTO ${table} AS s (stream_name, version, revision, position, state) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (stream_name, version) DO UPDATE
           SET revision = EXCLUDED.revision, position = EXCLUDED.position, state = EXCLUDED.state, taken_at = now()
           WHERE s.revision < EXCLUDED.revision`,
          [
            streamName,
            version,
            snapshot.revision.toString(),
            snapshot.position.toString(),
            JSON.stringify(snapshot.state),
          ],
        ),
      );
    },
  };
}
