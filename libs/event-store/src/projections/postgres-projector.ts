import { EventEmitter } from 'node:events';
import { Pool, PoolClient } from 'pg';
import { createCatchUpLoop } from '../catch-up-loop';
import { EventStore } from '../event-store';
import { withTransaction } from '../sql';
import { loadCheckpoint, migrateCheckpoints, saveCheckpoint } from './checkpoints';
import { PostgresProjection } from './projection';
import {
  compareBuilds,
  createViews,
  ensureBuild,
  hasUnversionedTables,
  loadActiveBuild,
  lockProjectionDdl,
  migrateProjectionBuilds,
  plannedBuild,
  ProjectionBuild,
  recordUnversionedBuild,
  sameBuild,
  switchBuild,
  tablesOf,
} from './projection-builds';

export interface ProjectorOptions {
  pool: Pool;
  /** The schema holding the read tables and their checkpoint. */
  schema: string;
  store: EventStore;
  projection: PostgresProjection;
  batchSize?: number;
  idleTimeoutMs?: number;
  /** How often a replica older than the deployed projection re-reads the active build's checkpoint. */
  followIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface Projector {
  readonly name: string;
  /** Position of the read model that readers see, as last seen committed by this process. */
  readonly position: bigint;
  readonly running: boolean;
  /** Migrates, and prepares the build this code's version needs (a fresh database gets it active at once). */
  setup(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  /** Applies everything up to the store's head (finishing and switching to a pending build), then returns. */
  catchUp(): Promise<void>;
  /** Builds the read model again from zero beside the live one, then switches reads to it. */
  rebuild(): Promise<void>;
  /** Resolves true once the read model readers see has reached `position` (read-your-writes), false on timeout. */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean>;
}

/**
 * What this process does with the projection on its next batch:
 * - live: the active build is this code's version, keep it up to date;
 * - build: a newer build (this version, or a rebuild) catches up beside the active one, then takes over;
 * - follow: the database runs a newer version than this code (a rolling upgrade): leave it to the newer replicas.
 */
type Mode =
  | { kind: 'live'; build: ProjectionBuild }
  | { kind: 'build'; build: ProjectionBuild; active: ProjectionBuild }
  | { kind: 'follow'; active: ProjectionBuild };

interface StepResult {
  read: number;
  /** Something changed (a switch, or a switch by another replica): step again at once. */
  again: boolean;
  /** The database runs a newer version: this replica only watches the served position. */
  follow?: boolean;
  served: bigint;
}

/**
 * Follows the store and applies events to a PostgreSQL read model. Each batch
 * runs in one transaction that first locks its build's checkpoint row, reads
 * events after it, applies them and moves the checkpoint: a crash anywhere
 * rolls the whole batch back, and two instances (or a live projector and a
 * rebuild) never apply the same event twice.
 *
 * When this code's projection version differs from the active build's, the
 * new version is built into its own tables from the store while readers keep
 * the old ones; the batch that reaches the store's head also switches the
 * views over, holding both builds' checkpoint locks, and drops the old tables.
 * Lock order everywhere: own build's checkpoint → active build row → active
 * build's checkpoint, so builders and live replicas cannot deadlock.
 */
export function createPostgresProjector(options: ProjectorOptions): Projector {
  const { pool, schema, store, projection } = options;
  const batchSize = options.batchSize ?? 200;
  const idle = options.idleTimeoutMs ?? 1000;
  const followMs = options.followIntervalMs ?? 500;
  const handled = new Set(projection.handles);
  const progress = new EventEmitter();
  progress.setMaxListeners(0);
  let position = 0n;
  /** Set while `rebuild()` drives a fresh build of this version. */
  let rebuilding: ProjectionBuild | undefined;

  function resolve(active: ProjectionBuild | null): Mode {
    if (!active) throw new Error(`Projection ${projection.name} has no active build: call setup() first`);
    if (rebuilding) return { kind: 'build', build: rebuilding, active };
    if (active.version === projection.version) return { kind: 'live', build: active };
    if (active.version < projection.version) return { kind: 'build', build: plannedBuild(projection, 1), active };
    return { kind: 'follow', active };
  }

  async function applyBatch(client: PoolClient, build: ProjectionBuild, after: bigint) {
    const events = await store.readAll({ after, maxCount: batchSize });
    const tables = tablesOf(schema, build);
    for (const event of events) {
      if (handled.has(event.type)) await projection.apply(client, event, tables);
    }
    const reached = events.length > 0 ? events[events.length - 1].position : after;
    if (events.length > 0) await saveCheckpoint(client, schema, build.checkpoint, reached);
    return { read: events.length, reached };
  }

  async function step(): Promise<StepResult> {
    return withTransaction(pool, async (client): Promise<StepResult> => {
      const mode = resolve(await loadActiveBuild(client, schema, projection.name));
      if (mode.kind === 'follow')
        return {
          read: 0,
          again: false,
          follow: true,
          served: await loadCheckpoint(client, schema, mode.active.checkpoint),
        };
      const checkpoint = await loadCheckpoint(client, schema, mode.build.checkpoint, true);
      // Re-read under the lock: another replica may have switched builds while this one waited.
      const active = await loadActiveBuild(client, schema, projection.name);
      const expected = mode.kind === 'live' ? mode.build : mode.active;
      if (!sameBuild(active, expected)) return { read: 0, again: true, served: position };

      if (mode.kind === 'live') {
        const { read, reached } = await applyBatch(client, mode.build, checkpoint);
        return { read, again: false, served: reached };
      }

      if (compareBuilds(mode.build, mode.active) <= 0)
        throw new Error(
          `Projection ${projection.name}: the database serves v${mode.active.version}, newer than this code's v${projection.version}`,
        );
      const { read, reached } = await applyBatch(client, mode.build, checkpoint);
      const served = await loadCheckpoint(client, schema, mode.active.checkpoint);
      if (read === batchSize || reached < (await store.headPosition())) return { read, again: false, served };
      // Caught up: take the active build's locks (its batches finish first) and move reads over.
      await loadActiveBuild(client, schema, projection.name, true);
      await loadCheckpoint(client, schema, mode.active.checkpoint, true);
      await switchBuild(client, schema, mode.active, mode.build);
      return { read, again: true, served: reached };
    }).then(async (result) => {
      if (result.again && rebuilding) rebuilding = undefined; // a switch happened (ours or another's)
      if (result.served > position) position = result.served; // only once committed
      progress.emit('position');
      // Nothing to apply here, but the newer replicas move the checkpoint: look again shortly, without spinning.
      if (result.follow) await new Promise((r) => setTimeout(r, followMs));
      return result;
    });
  }

  const loop = createCatchUpLoop({
    store,
    step: async () => {
      const { read, again } = await step();
      return { read: again ? Math.max(read, 1) : read, position };
    },
    idleTimeoutMs: idle,
    onError: options.onError,
  });

  async function catchUp(): Promise<void> {
    for (;;) {
      const { read, again } = await step();
      if (read === 0 && !again) return;
    }
  }

  const projector: Projector = {
    name: projection.name,
    get position() {
      return position;
    },
    get running() {
      return loop.running;
    },
    async setup() {
      await migrateCheckpoints(pool, schema);
      await migrateProjectionBuilds(pool, schema);
      const active = await withTransaction(pool, async (client) => {
        await lockProjectionDdl(client, schema, projection.name);
        let current = await loadActiveBuild(client, schema, projection.name);
        if (!current && (await hasUnversionedTables(client, schema, projection.tables))) {
          current = await recordUnversionedBuild(client, schema, projection);
        }
        if (!current) {
          // A fresh database: nothing to keep serving, so the first build is active from the start.
          current = plannedBuild(projection, 1);
          await ensureBuild(client, schema, projection, current, { active: true });
          await createViews(client, schema, current);
        } else if (current.version < projection.version) {
          await ensureBuild(client, schema, projection, plannedBuild(projection, 1));
        }
        return current;
      });
      const served = await loadCheckpoint(pool, schema, active.checkpoint);
      if (served > position) position = served;
    },
    start: () => loop.start(),
    stop: () => loop.stop(),
    catchUp,
    async rebuild() {
      rebuilding = await withTransaction(pool, async (client) => {
        await lockProjectionDdl(client, schema, projection.name);
        const active = await loadActiveBuild(client, schema, projection.name);
        if (!active) throw new Error(`Projection ${projection.name} has no active build: call setup() first`);
        if (active.version > projection.version)
          throw new Error(
            `Cannot rebuild ${projection.name}: the database serves v${active.version}, newer than this code's v${projection.version}`,
          );
        const build = plannedBuild(projection, active.version === projection.version ? active.generation + 1 : 1);
        await ensureBuild(client, schema, projection, build, { fresh: true });
        return build;
      });
      try {
        await catchUp();
      } finally {
        rebuilding = undefined;
      }
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
