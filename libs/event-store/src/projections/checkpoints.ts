import { performance } from 'node:perf_hooks';
import { Pool, PoolClient } from 'pg';
import { LeaderLock } from '../leader-lock';
import { applyMigrations, Migration } from '../migrations/schema-migrations';
import { prepared, quoteIdent, quoteLiteral } from '../sql';

/**
 * Positions of the things that follow a store (projectors, outbox relays).
 * `numeric` because EventStoreDB positions are 128-bit (see eventstoredb-event-store.ts).
 */
export interface CheckpointStore {
  load(name: string): Promise<bigint>;
  save(name: string, position: bigint): Promise<void>;
}

export const checkpointMigrations: Migration[] = [
  {
    version: 1,
    name: 'checkpoints',
    async up(client, schema) {
      await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.checkpoints (
        name text PRIMARY KEY,
        position numeric(40, 0) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    },
  },
];

export async function migrateCheckpoints(pool: Pool, schema: string): Promise<void> {
  await applyMigrations(pool, schema, 'checkpoints', checkpointMigrations);
}

// The statements' text once, with parameters or (sent with BEGIN or COMMIT, which take none) literals.
const selectCheckpoint = (schema: string, name: string) =>
  `SELECT position FROM ${quoteIdent(schema)}.checkpoints WHERE name = ${name}`;
const upsertCheckpoint = (schema: string, name: string, position: string) =>
  `INSERT INTO ${quoteIdent(schema)}.checkpoints (name, position) VALUES (${name}, ${position})
   ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`;

export async function loadCheckpoint(
  client: Pool | PoolClient,
  schema: string,
  name: string,
  forUpdate = false,
): Promise<bigint> {
  const { rows } = await client.query<{ position: string }>(
    prepared(`${selectCheckpoint(schema, '$1')}${forUpdate ? ' FOR UPDATE' : ''}`, [name]),
  );
  return rows.length > 0 ? BigInt(rows[0].position) : 0n;
}

export async function saveCheckpoint(
  client: Pool | PoolClient,
  schema: string,
  name: string,
  position: bigint,
): Promise<void> {
  await client.query(prepared(upsertCheckpoint(schema, '$1', '$2'), [name, position.toString()]));
}

export function createPostgresCheckpointStore(pool: Pool, schema: string): CheckpointStore {
  return {
    load: (name) => loadCheckpoint(pool, schema, name),
    save: (name, position) => saveCheckpoint(pool, schema, name, position),
  };
}

export function createMemoryCheckpointStore(): CheckpointStore {
  const positions = new Map<string, bigint>();
  return {
    load: async (name) => positions.get(name) ?? 0n,
    save: async (name, position) => void positions.set(name, position),
  };
}

/**
 * The checkpoint of a loop only its leader runs (an outbox relay, a recorder): kept in memory while
 * this process's leader term lasts, read again when it leads anew (another holder may have moved
 * it in between) or after `forget()` (a failed batch: where it stopped is what was saved).
 */
export function leaderCheckpoint(
  checkpoints: CheckpointStore,
  name: string,
  leader: LeaderLock,
  { lazySaveMs = 1000 }: { lazySaveMs?: number } = {},
) {
  let position = 0n;
  let loadedTerm: number | undefined;
  let saved = { position: 0n, at: -Infinity };
  const save = async (reached: bigint) => {
    await checkpoints.save(name, reached);
    saved = { position: reached, at: performance.now() };
    position = reached;
  };
  return {
    /** As last loaded or reached: what an idle wait compares against. */
    get position() {
      return position;
    },
    async load(): Promise<bigint> {
      if (loadedTerm !== leader.term) {
        const term = leader.term;
        position = await checkpoints.load(name);
        saved = { position, at: performance.now() };
        loadedTerm = term;
      }
      return position;
    },
    /**
     * After each batch, even an empty one: moves to `reached`, saved at once when the batch did work a
     * second pass would repeat (published, recorded). Events only passed over are saved by the first
     * batch `lazySaveMs` after the last save (an idle loop's included), or by `flush` on stop: after a
     * crash or a change of leader those few are read again, which costs a read and nothing else, where
     * a save per batch cost a statement for nearly every append of the service.
     */
    async reach(reached: bigint, worked: boolean): Promise<void> {
      if (worked || (reached > saved.position && performance.now() - saved.at >= lazySaveMs)) await save(reached);
      else if (reached > position) position = reached;
    },
    /** Saves what was only passed over: when the loop stops, while it still holds the leader lock. */
    async flush(): Promise<void> {
      if (loadedTerm === leader.term && position > saved.position) await save(position);
    },
    forget(): void {
      loadedTerm = undefined;
    },
  };
}

/** The checkpoint row lock as a statement without parameters, to send with BEGIN in one round trip. */
export const lockCheckpointSql = (schema: string, name: string) =>
  `${selectCheckpoint(schema, quoteLiteral(name))} FOR UPDATE`;

/** `saveCheckpoint` as a statement without parameters, to send with COMMIT in one round trip. */
export const saveCheckpointSql = (schema: string, name: string, position: bigint) =>
  upsertCheckpoint(schema, quoteLiteral(name), position.toString());
