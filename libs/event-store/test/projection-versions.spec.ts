import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import {
  createPostgresEventStore,
  createPostgresProjector,
  EventStore,
  loadActiveBuild,
  migratePostgresEventStore,
  Projector,
  withTransaction,
} from '../src';
import { projectLikeUnversionedCode, versionedTicks } from './fixtures/versioned-ticks';

describe('versioned projections', () => {
  let pool: Pool;
  let schema: string;
  let store: EventStore;
  let n = 0;
  const projectors: Projector[] = [];

  const appendTicks = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await store.appendToStream(`tick-${randomUUID()}`, [{ type: 'Tick', data: { n: n++ } }], {
        expectedRevision: 'no_stream',
      });
    }
  };
  const projector = (version: 1 | 2, extra: Partial<Parameters<typeof versionedTicks>[1]> | undefined = undefined) => {
    const p = createPostgresProjector({
      pool,
      schema,
      store,
      projection: versionedTicks(version, extra as Parameters<typeof versionedTicks>[1]),
      batchSize: 7,
      idleTimeoutMs: 100,
      followIntervalMs: 20,
    });
    projectors.push(p);
    return p;
  };
  const rows = async () =>
    (await pool.query(`SELECT * FROM "${schema}".ticks ORDER BY n`)).rows as Array<Record<string, number | string>>;
  const relkind = async (name: string) =>
    (
      await pool.query(
        `SELECT c.relkind FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relname = $2`,
        [schema, name],
      )
    ).rows[0]?.relkind ?? null;
  const active = async () => {
    const build = await loadActiveBuild(pool, schema, 'ticks');
    return build && { version: build.version, generation: build.generation };
  };

  beforeEach(async () => {
    pool = createTestPool(20);
    schema = uniqueSchema('pver');
    n = 0;
    await migratePostgresEventStore(pool, schema);
    store = createPostgresEventStore({ pool, schema });
  });

  afterEach(async () => {
    for (const p of projectors.splice(0)) await p.stop();
    await store.close();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('upgrades tables made before versioning: serves them until the new build caught up, then switches', async () => {
    await appendTicks(20);
    const old = await store.readAll({ maxCount: 100 });
    await withTransaction(pool, (client) => projectLikeUnversionedCode(client, schema, old));
    await appendTicks(10); // written after the old code stopped: not in the old tables yet

    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const v1 = projector(1, { at: 25, reached, release: new Promise<void>((resolve) => (release = resolve)) });
    await v1.setup();
    const building = v1.catchUp();
    await atGate;

    // Mid-build: readers still get the old table, whole, and read-your-writes does not claim the new events.
    expect(await relkind('ticks')).toBe('r');
    expect((await rows()).map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(v1.position).toBe(old[old.length - 1].position);
    expect(await v1.waitForPosition(await store.headPosition(), 50)).toBe(false);
    expect(await active()).toEqual({ version: 0, generation: 0 });

    release();
    await building;
    expect(await relkind('ticks')).toBe('v');
    expect(await relkind('ticks_v1')).toBe('r');
    const upgraded = await rows();
    expect(upgraded.map((r) => r.n)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(upgraded.every((r) => r.applied_count === 1)).toBe(true);
    expect(await active()).toEqual({ version: 1, generation: 1 });
    expect(v1.position).toBe(await store.headPosition());
    const checkpoints = (await pool.query(`SELECT name FROM "${schema}".checkpoints ORDER BY name`)).rows;
    expect(checkpoints).toEqual([{ name: 'ticks@v1' }]); // the old checkpoint went with the old table
    await expect(
      pool.query(`INSERT INTO "${schema}".ticks (event_id, n, applied_count) VALUES ($1, 1, 1)`, [randomUUID()]),
    ).rejects.toThrow(/read-only view/);
  });

  it('rebuilds a bumped version (v1 → v2 adds a column) beside the live one and switches reads, keeping read-your-writes', async () => {
    await appendTicks(15);
    const v1 = projector(1);
    await v1.setup();
    await v1.catchUp();
    expect(Object.keys((await rows())[0])).not.toContain('doubled');

    const v2 = projector(2);
    await v2.setup();
    expect(await active()).toEqual({ version: 1, generation: 1 }); // set up, not switched
    await v2.catchUp();
    expect(await active()).toEqual({ version: 2, generation: 1 });
    expect(await relkind('ticks_v1')).toBeNull();
    const upgraded = await rows();
    expect(upgraded).toHaveLength(15);
    expect(upgraded.every((r) => r.doubled === Number(r.n) * 2)).toBe(true);

    v2.start();
    const appended = await store.appendToStream(`tick-${randomUUID()}`, [{ type: 'Tick', data: { n: 100 } }], {
      expectedRevision: 'no_stream',
    });
    expect(await v2.waitForPosition(appended.position, 5000)).toBe(true);
    expect((await rows()).some((r) => r.n === 100 && r.doubled === 200)).toBe(true);

    // The v1 replica still around in a rolling upgrade neither writes nor rebuilds v1: it follows.
    v1.start();
    const later = await store.appendToStream(`tick-${randomUUID()}`, [{ type: 'Tick', data: { n: 101 } }], {
      expectedRevision: 'no_stream',
    });
    expect(await v1.waitForPosition(later.position, 5000)).toBe(true);
    await expect(v1.rebuild()).rejects.toThrow(/newer than this code/);
    expect(await active()).toEqual({ version: 2, generation: 1 });
  });

  it('two replicas upgrading at once, while a v1 replica keeps projecting and events keep arriving, apply each event once', async () => {
    await appendTicks(40);
    const v1 = projector(1);
    await v1.setup();
    v1.start();
    const writing = appendTicks(40);

    const [a, b] = [projector(2), projector(2)];
    await Promise.all([a.setup(), b.setup()]);
    a.start();
    b.start();
    await writing;
    const head = await store.headPosition();
    expect(await a.waitForPosition(head, 20_000)).toBe(true);
    expect(await b.waitForPosition(head, 20_000)).toBe(true);

    expect(await active()).toEqual({ version: 2, generation: 1 });
    const upgraded = await rows();
    expect(upgraded.map((r) => r.n)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(upgraded.every((r) => r.applied_count === 1 && r.doubled === Number(r.n) * 2)).toBe(true);
    const builds = (await pool.query(`SELECT version, active FROM "${schema}".projection_builds`)).rows;
    expect(builds).toEqual([{ version: 2, active: true }]);
  }, 30_000);

  it('rebuilds the same version into fresh tables while a live replica keeps running', async () => {
    await appendTicks(20);
    const live = projector(1);
    await live.setup();
    live.start();
    await live.waitForPosition(await store.headPosition(), 5000);
    const before = await rows();

    const rebuilder = projector(1);
    await rebuilder.setup();
    await rebuilder.rebuild();
    expect(await active()).toEqual({ version: 1, generation: 2 });
    expect(await relkind('ticks_v1_2')).toBe('r');
    expect(await relkind('ticks_v1')).toBeNull();
    expect(await rows()).toEqual(before);

    // The live replica moved to the new build by itself.
    const appended = await store.appendToStream(`tick-${randomUUID()}`, [{ type: 'Tick', data: { n: 99 } }], {
      expectedRevision: 'no_stream',
    });
    expect(await live.waitForPosition(appended.position, 5000)).toBe(true);
    expect((await rows()).filter((r) => r.n === 99)).toHaveLength(1);
  });
});
