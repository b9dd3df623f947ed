import { EventEmitter } from 'node:events';
import { Pool, PoolClient } from 'pg';
import { createCatchUpLoop } from '../catch-up-loop';
import { EventStore, RecordedEvent } from '../event-store';
import { withTransaction } from '../sql';
import { loadCheckpoint, migrateCheckpoints, saveCheckpoint } from './checkpoints';
import { liveBatchesFor } from './live-batches';
import { PostgresProjection } from './projection';
import {
  compareBuilds,
  createViews,
  dropInactiveBuild,
  ensureBuild,
  hasUnversionedTables,
  loadActiveBuild,
  lockProjectionDdl,
  lockProjectionSwitch,
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
  /** How long a switch's DDL waits for readers of the views before it gives way and retries (default 5 s). */
  switchLockTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * What this process does for the read model:
 * - serving: the active build is this code's version and this process keeps it up to date;
 * - building: this code's version (or a rebuild) is catching up beside the served build, or no
 *   build serves yet: nothing here updates what readers see, so a rolling update must keep the old replicas;
 * - following: the database serves a newer version, kept up to date by newer replicas.
 */
export type ProjectorState = 'serving' | 'building' | 'following';

export interface Projector {
  readonly name: string;
  /** `building` until `setup()` found out; then as of the last batch. */
  readonly state: ProjectorState;
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
  /**
   * Calls `listener` after each batch this process committed to the build readers see, with the
   * events of it the projection handles, in order (what changed, for caches to forget). Returns the
   * unsubscribe function. A listener that throws is ignored: the read model has committed already.
   */
  onApplied(listener: (events: readonly RecordedEvent[]) => void): () => void;
}

/**
 * What this process does with the projection on its next batch:
 * - live: the active build is this code's version, keep it up to date;
 * - build: a newer build (this version, or a rebuild) catches up beside the active one, then takes over;
 * - follow: the database runs a newer version than this code (a rolling upgrade): leave it to the newer replicas.
 */
type Mode =
  | { kind: 'live'; build: ProjectionBuild }
  /** `active` is null while no build serves yet (a store that had events before this projection's first build). */
  | { kind: 'build'; build: ProjectionBuild; active: ProjectionBuild | null }
  | { kind: 'follow'; active: ProjectionBuild };

const stateOf: Record<Mode['kind'], ProjectorState> = { live: 'serving', build: 'building', follow: 'following' };

interface StepResult {
  /** The mode this batch ran in (after a switch of ours: live). */
  state: ProjectorState;
  read: number;
  /** Something changed (a switch, or a switch by another replica): step again at once. */
  again: boolean;
  /** The database runs a newer version: this replica only watches the served position. */
  follow?: boolean;
  served: bigint;
  /** Handled events this batch applied to the build readers see (live mode only). */
  applied?: RecordedEvent[];
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
  const switchLockMs = options.switchLockTimeoutMs ?? 5000;
  const handled = new Set(projection.handles);
  const progress = new EventEmitter();
  progress.setMaxListeners(0);
  let position = 0n;
  let state: ProjectorState = 'building';
  let setUp = false;
  /** When this process last ran a transactional batch (see skipUnhandled). */
  let lastBatchAt = 0;
  /** Set while `rebuild()` drives a fresh build of this version. */
  let rebuilding: ProjectionBuild | undefined;
  /**
   * The active build a live batch last saw under its checkpoint lock: the next batch runs as a live
   * batch of it (see liveStep), which re-reads it under the lock, so a switch by another replica is
   * noticed there and costs one more step.
   */
  let activeHint: ProjectionBuild | undefined;

  function resolve(active: ProjectionBuild | null): Mode {
    if (!setUp) throw new Error(`Projection ${projection.name} is not set up: call setup() first`);
    if (rebuilding && active) {
      // Done only once the active build is the one this rebuild made (whoever switched to it).
      if (sameBuild(active, rebuilding)) rebuilding = undefined;
      else if (compareBuilds(active, rebuilding) > 0)
        throw new Error(
          `Rebuild of ${projection.name} v${rebuilding.version}.${rebuilding.generation} was overtaken: another process switched reads to v${active.version}.${active.generation}`,
        );
    }
    if (rebuilding) return { kind: 'build', build: rebuilding, active };
    if (!active) return { kind: 'build', build: plannedBuild(projection, 1), active: null };
    if (active.version === projection.version) return { kind: 'live', build: active };
    if (active.version < projection.version) return { kind: 'build', build: plannedBuild(projection, 1), active };
    return { kind: 'follow', active };
  }

  const sameActive = (a: ProjectionBuild | null, b: ProjectionBuild | null) =>
    a === null || b === null ? a === b : sameBuild(a, b);

  async function applyBatch(client: PoolClient, build: ProjectionBuild, after: bigint) {
    const events = await store.readAll({ after, maxCount: batchSize });
    const tables = tablesOf(schema, build);
    const applied: RecordedEvent[] = [];
    for (const event of events) {
      if (!handled.has(event.type)) continue;
      await projection.apply(client, event, tables);
      applied.push(event);
    }
    const reached = events.length > 0 ? events[events.length - 1].position : after;
    if (events.length > 0) await saveCheckpoint(client, schema, build.checkpoint, reached);
    return { read: events.length, reached, applied };
  }

  const liveBatches = liveBatchesFor(pool, schema, store);

  /**
   * A live batch from the build the last one saw, run together with the other projectors of this
   * service that woke on the same append (see createLiveBatches). Null when the active build is
   * another by now: the full step decides.
   */
  async function liveStep(build: ProjectionBuild): Promise<StepResult | null> {
    const outcome = await liveBatches.run({ projection, build, handled, batchSize });
    if (!outcome) {
      activeHint = undefined;
      return null;
    }
    activeHint = build;
    return { state: 'serving', read: outcome.read, again: false, served: outcome.reached, applied: outcome.applied };
  }

  async function step(): Promise<StepResult> {
    const hint = activeHint;
    const live = hint && setUp && !rebuilding && hint.version === projection.version ? await liveStep(hint) : null;
    return (live ? Promise.resolve(live) : fullStep()).then(async (result) => {
      lastBatchAt = Date.now();
      state = result.state;
      if (result.served > position) position = result.served; // only once committed
      progress.emit('position');
      if (result.applied?.length) progress.emit('applied', result.applied);
      // Nothing to apply here, but the newer replicas move the checkpoint: look again shortly, without spinning.
      if (result.follow) await new Promise((r) => setTimeout(r, followMs));
      return result;
    });
  }

  async function fullStep(): Promise<StepResult> {
    return withTransaction(pool, async (client): Promise<StepResult> => {
      activeHint = undefined;
      const mode = resolve(await loadActiveBuild(client, schema, projection.name));
      const state = stateOf[mode.kind];
      if (mode.kind === 'follow')
        return {
          state,
          read: 0,
          again: false,
          follow: true,
          served: await loadCheckpoint(client, schema, mode.active.checkpoint),
        };
      const checkpoint = await loadCheckpoint(client, schema, mode.build.checkpoint, true);
      // Re-read under the lock: another replica may have switched builds while this one waited.
      const expected = mode.kind === 'live' ? mode.build : mode.active;
      const active = await loadActiveBuild(client, schema, projection.name);
      if (!sameActive(active, expected)) return { state, read: 0, again: true, served: position };

      if (mode.kind === 'live') {
        activeHint = active ?? undefined;
        const { read, reached, applied } = await applyBatch(client, mode.build, checkpoint);
        return { state, read, again: false, served: reached, applied };
      }

      if (mode.active && compareBuilds(mode.build, mode.active) <= 0)
        throw new Error(
          `Projection ${projection.name}: the database serves v${mode.active.version}, newer than this code's v${projection.version}`,
        );
      const { read, reached } = await applyBatch(client, mode.build, checkpoint);
      const served = mode.active ? await loadCheckpoint(client, schema, mode.active.checkpoint) : position;
      // Building: step again at once until the switch (a short batch is not the end of the work).
      const building = { state, read, again: true, served };
      if (read === batchSize || reached < (await store.headPosition())) return building;
      return switchIfCaughtUp(client, mode.build, mode.active, reached, building);
    });
  }

  /**
   * Takes the locks a switch needs (the active build's batches finish first) and
   * re-checks under them that the builder still replaces the build it expected,
   * and that it has reached what readers already see (a live replica may have
   * applied events appended after this batch's head check): otherwise it keeps building.
   */
  async function switchIfCaughtUp(
    client: PoolClient,
    build: ProjectionBuild,
    expected: ProjectionBuild | null,
    reached: bigint,
    building: StepResult,
  ): Promise<StepResult> {
    await lockProjectionSwitch(client, schema, projection.name);
    const active = await loadActiveBuild(client, schema, projection.name, true);
    if (!sameActive(active, expected)) return building;
    const served = active ? await loadCheckpoint(client, schema, active.checkpoint, true) : 0n;
    if (reached < served) return { ...building, served };
    await client.query('SAVEPOINT projection_switch');
    try {
      await switchBuild(client, schema, active, build, switchLockMs);
    } catch (error) {
      // A reader holds a view too long: keep the batch, give the readers way, try again on the next step.
      if ((error as { code?: string }).code !== '55P03') throw error;
      await client.query('ROLLBACK TO SAVEPOINT projection_switch');
      options.onError?.(new Error(`Projection ${projection.name}: switch waited too long for readers, retrying`));
      return { ...building, served };
    }
    await client.query('RELEASE SAVEPOINT projection_switch');
    return {
      state: 'serving',
      read: building.read,
      again: true,
      served: reached,
    };
  }

  /**
   * A serving projector's shortcut past events it does not handle (most of a service's events, for
   * most of its projections): the read model already reflects them, so `position` moves without a
   * transaction or a checkpoint write. Positions commit in order (the store's append lock), so nothing
   * handled can hide below them. A transactional batch still runs at least every `idle` ms, which is
   * how a switch to another build by another replica is noticed. Null: take the transactional path.
   */
  async function skipUnhandled(): Promise<number | null> {
    if (state !== 'serving' || rebuilding || !setUp || Date.now() - lastBatchAt >= idle) return null;
    const events = await store.readAll({ after: position, maxCount: batchSize });
    if (events.some((e) => handled.has(e.type))) return null;
    if (events.length === 0) return 0;
    position = events[events.length - 1].position;
    progress.emit('position');
    return events.length;
  }

  const loop = createCatchUpLoop({
    store,
    step: async () => {
      const skipped = await skipUnhandled();
      if (skipped !== null) return { read: skipped, position };
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
    get state() {
      return state;
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
          const first = plannedBuild(projection, 1);
          if ((await store.headPosition()) === 0n) {
            // A fresh install: an empty model is the whole model, so the first build serves from the start.
            await ensureBuild(client, schema, projection, first, { active: true });
            await createViews(client, schema, first);
            current = first;
          } else {
            // The store has history (a projection added later, a fresh PostgreSQL beside EventStoreDB):
            // readers get no half-built model; the views appear at the switch.
            await ensureBuild(client, schema, projection, first);
          }
        } else if (current.version < projection.version) {
          await ensureBuild(client, schema, projection, plannedBuild(projection, 1));
        }
        return current;
      });
      setUp = true;
      if (!active) return;
      state =
        resolve(active).kind === 'live' ? 'serving' : active.version > projection.version ? 'following' : 'building';
      const served = await loadCheckpoint(pool, schema, active.checkpoint);
      if (served > position) position = served;
    },
    start: () => loop.start(),
    stop: () => loop.stop(),
    catchUp,
    async rebuild() {
      const build = await withTransaction(pool, async (client) => {
        await lockProjectionDdl(client, schema, projection.name);
        const active = await loadActiveBuild(client, schema, projection.name);
        // No build serves yet: the pending first build already replays the store from zero.
        if (!active) return plannedBuild(projection, 1);
        if (active.version > projection.version)
          throw new Error(
            `Cannot rebuild ${projection.name}: the database serves v${active.version}, newer than this code's v${projection.version}`,
          );
        const next = plannedBuild(projection, active.version === projection.version ? active.generation + 1 : 1);
        await ensureBuild(client, schema, projection, next, { fresh: true });
        return next;
      });
      rebuilding = build;
      try {
        await catchUp();
        const active = await loadActiveBuild(pool, schema, projection.name);
        if (!active || !sameBuild(active, build))
          throw new Error(
            `Rebuild of ${projection.name} did not take over: v${active?.version}.${active?.generation} serves`,
          );
      } catch (error) {
        // Leave no half-built tables behind (unless it took over after all).
        await withTransaction(pool, async (client) => {
          await lockProjectionDdl(client, schema, projection.name);
          await dropInactiveBuild(client, schema, build);
        }).catch(() => undefined);
        throw error;
      } finally {
        rebuilding = undefined;
      }
    },
    onApplied(listener) {
      const safe = (events: readonly RecordedEvent[]) => {
        try {
          listener(events);
        } catch (error) {
          options.onError?.(error);
        }
      };
      progress.on('applied', safe);
      return () => progress.off('applied', safe);
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
