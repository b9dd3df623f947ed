import { Pool, QueryResult } from 'pg';
import { EventStore, RecordedEvent } from '../event-store';
import { lockCheckpointSql, saveCheckpointSql } from './checkpoints';
import { PostgresProjection } from './projection';
import { activeBuildsSql, ProjectionBuild, sameBuild, tablesOf } from './projection-builds';

/** A live projector's batch, from the build it last saw serving. */
export interface LiveStepRequest {
  projection: PostgresProjection;
  build: ProjectionBuild;
  handled: ReadonlySet<string>;
  batchSize: number;
}

/** What the batch applied, or null when another build serves by now (the projector's full step decides). */
export type LiveStepOutcome = { read: number; reached: bigint; applied: RecordedEvent[] } | null;

interface Pending extends LiveStepRequest {
  resolve(outcome: LiveStepOutcome): void;
  reject(error: unknown): void;
}

/**
 * Runs the live batches a service's projectors ask for at the same moment (they wake on the same
 * append) in one transaction: BEGIN with every checkpoint lock and one read of the builds, the new
 * events read once, then every new checkpoint with COMMIT — two round trips for all of them besides
 * the events' own statements, where each projector took two. Checkpoints are locked in name order,
 * so batches of other replicas cannot deadlock with these. A batch that fails is run again one
 * projector at a time, so one projection's bad event holds back only that projection.
 */
export function createLiveBatches(pool: Pool, schema: string, store: EventStore) {
  let gathering: Pending[] | undefined;

  async function runBatch(batch: Pending[]): Promise<LiveStepOutcome[]> {
    const ordered = [...batch].sort((x, y) => (x.build.checkpoint < y.build.checkpoint ? -1 : 1));
    const client = await pool.connect();
    try {
      const results = (await client.query(
        [
          'BEGIN',
          ...ordered.map((r) => lockCheckpointSql(schema, r.build.checkpoint)),
          activeBuildsSql(
            schema,
            ordered.map((r) => r.projection.name),
          ),
        ].join('; '),
      )) as unknown as QueryResult[];
      const builds = results[results.length - 1].rows as ProjectionBuild[];
      const members = ordered.map((r, i) => {
        const active = builds.find((b) => b.projection === r.projection.name) ?? null;
        const position = (results[1 + i].rows[0] as { position: string } | undefined)?.position;
        return { request: r, current: sameBuild(active, r.build), checkpoint: BigInt(position ?? 0) };
      });
      const current = members.filter((m) => m.current);
      if (current.length === 0) {
        await client.query('ROLLBACK');
        return batch.map(() => null);
      }
      const after = current.reduce((low, m) => (m.checkpoint < low ? m.checkpoint : low), current[0].checkpoint);
      const events = await store.readAll({
        after,
        maxCount: Math.min(...current.map((m) => m.request.batchSize)),
      });
      const outcomes = new Map<Pending, NonNullable<LiveStepOutcome>>();
      for (const { request, checkpoint } of current) {
        const tables = tablesOf(schema, request.build);
        const mine = events.filter((e) => e.position > checkpoint);
        const applied: RecordedEvent[] = [];
        for (const event of mine) {
          if (!request.handled.has(event.type)) continue;
          await request.projection.apply(client, event, tables);
          applied.push(event);
        }
        const reached = mine.length > 0 ? mine[mine.length - 1].position : checkpoint;
        outcomes.set(request, { read: mine.length, reached, applied });
      }
      const saves = current
        .filter((m) => outcomes.get(m.request)!.read > 0)
        .map((m) => saveCheckpointSql(schema, m.request.build.checkpoint, outcomes.get(m.request)!.reached));
      await client.query([...saves, 'COMMIT'].join('; '));
      return batch.map((r) => outcomes.get(r) ?? null);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function settle(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await runBatch(batch);
      batch.forEach((r, i) => r.resolve(outcomes[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const request of batch) await settle([request]);
    }
  }

  const batcher = {
    run(request: LiveStepRequest): Promise<LiveStepOutcome> {
      return new Promise<LiveStepOutcome>((resolve, reject) => {
        const pending = { ...request, resolve, reject };
        if (gathering) return void gathering.push(pending);
        gathering = [pending];
        // the other projectors woken by the same append ask within this turn of the event loop
        setImmediate(() => {
          const batch = gathering!;
          gathering = undefined;
          // Two projectors of one build in a process (replicas in a test) must not both apply a batch:
          // the second asks again once the first's batch is settled, and then finds its checkpoint moved.
          const first = batch.filter((r, i) => batch.findIndex((o) => o.build.checkpoint === r.build.checkpoint) === i);
          const again = batch.filter((r) => !first.includes(r));
          void settle(first).then(() => {
            for (const r of again) batcher.run(r).then(r.resolve, r.reject);
          });
        });
      });
    },
  };
  return batcher;
}

const batchers = new WeakMap<EventStore, Map<string, ReturnType<typeof createLiveBatches>>>();

/** One batcher per store and schema: the projectors of one service share it. */
export function liveBatchesFor(pool: Pool, schema: string, store: EventStore) {
  let bySchema = batchers.get(store);
  if (!bySchema) batchers.set(store, (bySchema = new Map()));
  let batcher = bySchema.get(schema);
  if (!batcher) bySchema.set(schema, (batcher = createLiveBatches(pool, schema, store)));
  return batcher;
}
