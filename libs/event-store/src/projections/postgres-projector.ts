import { EventEmitter } from 'node:events';
import { Pool } from 'pg';
import { createCatchUpLoop } from '../catch-up-loop';
import { EventStore } from '../event-store';
import { withTransaction } from '../sql';
import { loadCheckpoint, migrateCheckpoints, saveCheckpoint } from './checkpoints';
import { PostgresProjection } from './projection';

export interface ProjectorOptions {
  pool: Pool;
  /** The schema holding the read tables and their checkpoint. */
  schema: string;
  store: EventStore;
  projection: PostgresProjection;
  batchSize?: number;
  idleTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

export interface Projector {
  readonly name: string;
  /** Position of the last event this process saw committed. */
  readonly position: bigint;
  readonly running: boolean;
  setup(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  /** Applies everything up to the store's head, then returns (used by rebuild and tests). */
  catchUp(): Promise<void>;
  /** Empties the read model and replays the store from zero. */
  rebuild(): Promise<void>;
  /** Resolves true once the projection has reached `position` (read-your-writes), false on timeout. */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean>;
}

/**
 * Follows the store and applies events to a PostgreSQL read model. Each batch
 * runs in one transaction that first locks the checkpoint row, reads events
 * after it, applies them and moves the checkpoint: a crash anywhere rolls the
 * whole batch back, and two instances (or a live projector and a rebuild)
 * never apply the same event twice.
 */
export function createPostgresProjector(options: ProjectorOptions): Projector {
  const { pool, schema, store, projection } = options;
  const batchSize = options.batchSize ?? 200;
  const idle = options.idleTimeoutMs ?? 1000;
  const handled = new Set(projection.handles);
  const progress = new EventEmitter();
  progress.setMaxListeners(0);
  let position = 0n;

  /** Applies one batch; returns how many events it read (0 when caught up). */
  async function step(): Promise<number> {
    return withTransaction(pool, async (client) => {
      const checkpoint = await loadCheckpoint(client, schema, projection.name, true);
      const events = await store.readAll({ after: checkpoint, maxCount: batchSize });
      for (const event of events) {
        if (handled.has(event.type)) await projection.apply(client, event);
      }
      const reached = events.length > 0 ? events[events.length - 1].position : checkpoint;
      if (events.length > 0) await saveCheckpoint(client, schema, projection.name, reached);
      return { read: events.length, reached };
    }).then(({ read, reached }) => {
      position = reached; // only once committed
      progress.emit('position');
      return read;
    });
  }

  const loop = createCatchUpLoop({
    store,
    step: async () => ({ read: await step(), position }),
    idleTimeoutMs: idle,
    onError: options.onError,
  });

  const projector: Projector = {
    name: projection.name,
    get position() {
      return position;
    },
    get running() {
      return loop.running;
    },
    async setup() {
      await withTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrate:${schema}:${projection.name}`]);
        await migrateCheckpoints(client, schema);
        await projection.setup(client);
        await client.query(
          `INSERT INTO "${schema}".checkpoints (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`,
          [projection.name],
        );
      });
      position = await loadCheckpoint(pool, schema, projection.name);
    },
    start: () => loop.start(),
    stop: () => loop.stop(),
    async catchUp() {
      while ((await step()) > 0) {
        /* keep going until a batch reads nothing */
      }
    },
    async rebuild() {
      await withTransaction(pool, async (client) => {
        await loadCheckpoint(client, schema, projection.name, true);
        await projection.reset(client);
        await saveCheckpoint(client, schema, projection.name, 0n);
      });
      position = 0n;
      await projector.catchUp();
    },
    waitForPosition(target: bigint, timeoutMs: number) {
      if (position >= target) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const check = () => {
          if (position >= target) finish(true);
        };
        const finish = (reached: boolean) => {
          clearTimeout(timer);
          progress.off('position', check);
          resolve(reached);
        };
        const timer = setTimeout(() => finish(position >= target), timeoutMs);
        progress.on('position', check);
      });
    },
  };
  return projector;
}
