import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'pg';
import { createTestPool, dropSchema, testDatabaseUrl, uniqueSchema, waitFor } from '@study-buddy/testing';
import {
  createPostgresEventStore,
  createPostgresProjector,
  EventStore,
  loadCheckpoint,
  migratePostgresEventStore,
} from '../src';
import { tickProjection } from './fixtures/tick-projection';

const register = path.resolve(__dirname, '../../testing/ts-register.js');
const child = path.resolve(__dirname, 'fixtures/projector-child.ts');

describe('PostgreSQL projector', () => {
  let pool: Pool;
  let schema: string;
  let store: EventStore;
  const total = 600;

  beforeAll(async () => {
    pool = createTestPool();
    schema = uniqueSchema('proj');
    await migratePostgresEventStore(pool, schema);
    store = createPostgresEventStore({ pool, schema });
    const streams = Array.from({ length: 12 }, () => `tick-${randomUUID()}`);
    const revisions = new Map<string, bigint>();
    for (let n = 0; n < total; n++) {
      const stream = streams[n % streams.length];
      const expected = revisions.get(stream) ?? 'no_stream';
      const other = n % 10 === 0 ? [{ type: 'Ignored', data: { n } }] : [];
      const result = await store.appendToStream(stream, [{ type: 'Tick', data: { n } }, ...other], {
        expectedRevision: expected,
      });
      revisions.set(stream, result.nextExpectedRevision);
    }
  });

  afterAll(async () => {
    await store.close();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const start = (): ChildProcess =>
    spawn(process.execPath, ['-r', register, child], {
      env: { ...process.env, SCHEMA: schema, DATABASE_URL: testDatabaseUrl() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  const checkpoint = async () => {
    try {
      return await loadCheckpoint(pool, schema, 'ticks@v1');
    } catch {
      return 0n; // table not created yet
    }
  };
  const killed = (proc: ChildProcess) => new Promise((resolve) => proc.once('exit', resolve));
  // The kill test reads the build's own table: the store has history before the first setup, so the
  // `ticks` view appears only once the first build caught up.
  const appliedState = async (relation = 'ticks') =>
    (
      await pool.query<{ event_id: string; n: number; stream: string; applied_count: number }>(
        `SELECT * FROM "${schema}".${relation} ORDER BY n`,
      )
    ).rows;

  it('survives being killed between events: nothing applied twice, nothing skipped', async () => {
    const head = await store.headPosition();
    for (const stopAt of [120n, 400n]) {
      const proc = start();
      await waitFor(async () => (await checkpoint()) >= stopAt, {
        timeoutMs: 30_000,
        intervalMs: 5,
        what: `checkpoint ${stopAt}`,
      });
      proc.kill('SIGKILL');
      await killed(proc);

      // After a hard kill the read model holds exactly the events up to the committed checkpoint.
      const reached = await checkpoint();
      const expected = (await store.readAll({ after: 0n, maxCount: 10_000 })).filter(
        (e) => e.type === 'Tick' && e.position <= reached,
      );
      const rows = await appliedState('ticks_v1');
      expect(rows.map((r) => r.event_id).sort()).toEqual(expected.map((e) => e.id).sort());
      expect(rows.every((r) => r.applied_count === 1)).toBe(true);
    }

    const proc = start();
    await waitFor(async () => (await checkpoint()) >= head, { timeoutMs: 30_000, what: 'projector to reach head' });
    proc.kill('SIGTERM');
    await killed(proc);

    const rows = await appliedState('ticks_v1');
    expect(rows).toHaveLength(total);
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(rows.every((r) => r.applied_count === 1)).toBe(true);
  }, 90_000);

  it('rebuilds from zero to exactly the live model, and waits for a position', async () => {
    const projector = createPostgresProjector({ pool, schema, store, projection: tickProjection() });
    await projector.setup();
    await projector.catchUp();
    const live = await appliedState();
    const liveTotals = (await pool.query(`SELECT * FROM "${schema}".tick_totals ORDER BY stream`)).rows;

    await projector.rebuild();
    expect(await appliedState()).toEqual(live);
    expect((await pool.query(`SELECT * FROM "${schema}".tick_totals ORDER BY stream`)).rows).toEqual(liveTotals);

    projector.start();
    const appended = await store.appendToStream(`tick-${randomUUID()}`, [{ type: 'Tick', data: { n: total } }], {
      expectedRevision: 'no_stream',
    });
    expect(await projector.waitForPosition(appended.position, 5000)).toBe(true);
    expect((await appliedState()).some((r) => r.n === total)).toBe(true);
    expect(await projector.waitForPosition(appended.position + 1000n, 50)).toBe(false);
    await projector.stop();
  }, 60_000);

  it('tells listeners what it applied once the batch has committed, handled events only', async () => {
    const projector = createPostgresProjector({ pool, schema, store, projection: tickProjection() });
    await projector.setup();
    await projector.catchUp();
    const seen: { types: string[]; committed: boolean[] }[] = [];
    const checks: Promise<void>[] = [];
    const stop = projector.onApplied((events) => {
      const batch = { types: events.map((e) => e.type), committed: [] as boolean[] };
      seen.push(batch);
      // another connection sees the rows: the listener runs after the commit, not inside the transaction
      checks.push(
        Promise.all(
          events.map(async (e) => {
            const { rowCount } = await pool.query(`SELECT 1 FROM "${schema}".ticks WHERE event_id = $1`, [e.id]);
            batch.committed.push(rowCount === 1);
          }),
        ).then(() => undefined),
      );
    });
    const stream = `tick-${randomUUID()}`;
    await store.appendToStream(
      stream,
      [
        { type: 'Tick', data: { n: total + 1 } },
        { type: 'Ignored', data: {} },
        { type: 'Tick', data: { n: total + 2 } },
      ],
      { expectedRevision: 'no_stream' },
    );
    await projector.catchUp();
    await Promise.all(checks);
    expect(seen).toEqual([{ types: ['Tick', 'Tick'], committed: [true, true] }]);
    stop();
    await store.appendToStream(stream, [{ type: 'Tick', data: { n: total + 3 } }], { expectedRevision: 2n });
    await projector.catchUp();
    expect(seen).toHaveLength(1);
  }, 60_000);

  it('moves past events it does not handle without a transaction, and still applies the next it does', async () => {
    const projector = createPostgresProjector({
      pool,
      schema,
      store,
      projection: tickProjection(),
      idleTimeoutMs: 5000,
    });
    await projector.setup();
    await projector.catchUp();
    const build = await pool.query<{ checkpoint: string }>(
      `SELECT checkpoint FROM "${schema}".projection_builds WHERE projection = 'ticks' AND active`,
    );
    const saved = () => loadCheckpoint(pool, schema, build.rows[0].checkpoint);
    projector.start();
    await waitFor(async () => (await saved()) === projector.position, { what: 'caught up' });
    const before = await saved();
    const stream = `tick-${randomUUID()}`;
    const ignored = await store.appendToStream(stream, [{ type: 'Ignored', data: {} }], {
      expectedRevision: 'no_stream',
    });
    expect(await projector.waitForPosition(ignored.position, 3000)).toBe(true);
    expect(await saved()).toBe(before); // reached without writing the checkpoint
    const tick = await store.appendToStream(stream, [{ type: 'Tick', data: { n: total + 10 } }], {
      expectedRevision: 0n,
    });
    expect(await projector.waitForPosition(tick.position, 3000)).toBe(true);
    expect(await saved()).toBe(tick.position);
    expect((await appliedState()).some((r) => r.n === total + 10)).toBe(true);
    await projector.stop();
  }, 60_000);
});
