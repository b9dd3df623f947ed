import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import {
  createPostgresEventStore,
  createPostgresProjector,
  EventStore,
  loadActiveBuild,
  migratePostgresEventStore,
  PostgresProjection,
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
  const projector = (
    version: 1 | 2,
    extra: Partial<Parameters<typeof versionedTicks>[1]> | undefined = undefined,
    custom: { projection?: PostgresProjection; store?: EventStore; switchLockTimeoutMs?: number } = {},
  ) => {
    const p = createPostgresProjector({
      pool,
      schema,
      store: custom.store ?? store,
      projection: custom.projection ?? versionedTicks(version, extra as Parameters<typeof versionedTicks>[1]),
      batchSize: 7,
      idleTimeoutMs: 100,
      followIntervalMs: 20,
      switchLockTimeoutMs: custom.switchLockTimeoutMs,
    });
    projectors.push(p);
    return p;
  };
  /** The store, with `onHead` run (once) inside the builder's caught-up check, before the switch takes its locks. */
  const storeWithHeadHook = (onHead: () => Promise<void>): EventStore => {
    let armed = true;
    return new Proxy(store, {
      get: (target, key, receiver) =>
        key === 'headPosition'
          ? async () => {
              const head = await target.headPosition();
              if (armed) {
                armed = false;
                await onHead();
              }
              return head;
            }
          : Reflect.get(target, key, receiver),
    });
  };
  const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  /** True while a session that holds a lock in this test's schema waits for another lock (a table or a row). */
  const lockWaiting = async () =>
    (
      await pool.query(
        `SELECT 1 FROM pg_locks w WHERE NOT w.granted AND EXISTS (
           SELECT 1 FROM pg_locks h JOIN pg_class c ON c.oid = h.relation JOIN pg_namespace s ON s.oid = c.relnamespace
           WHERE h.pid = w.pid AND s.nspname = $1)`,
        [schema],
      )
    ).rows.length > 0;

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

    expect(v1.state).toBe('serving');
    const v2 = projector(2);
    await v2.setup();
    expect(await active()).toEqual({ version: 1, generation: 1 }); // set up, not switched
    expect(v2.state).toBe('building'); // not ready: the v1 replicas must keep serving
    await v2.catchUp();
    expect(await active()).toEqual({ version: 2, generation: 1 });
    expect(v2.state).toBe('serving');
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
    expect(v1.state).toBe('following');
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
    // While building, position follows the v1 build readers still see: wait for the switch itself first.
    await until(() => a.state === 'serving' && b.state === 'serving', 20_000);
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

  it('serves a fresh install at once, but builds a store with history fully before creating the views', async () => {
    const fresh = projector(1);
    await fresh.setup();
    expect(await active()).toEqual({ version: 1, generation: 1 });
    expect(fresh.state).toBe('serving');
    await dropSchema(pool, schema);
    await migratePostgresEventStore(pool, schema);

    await appendTicks(20); // e.g. EventStoreDB with a fresh PostgreSQL, or a projection added later
    const added = projector(1);
    await added.setup();
    expect(await active()).toBeNull();
    expect(await relkind('ticks')).toBeNull(); // no half-built model for readers
    expect(added.state).toBe('building');
    await added.catchUp();
    expect(await active()).toEqual({ version: 1, generation: 1 });
    expect(added.state).toBe('serving');
    expect((await rows()).map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(added.position).toBe(await store.headPosition());
  });

  it('does not switch to a build behind what readers already see (events applied after its head check)', async () => {
    await appendTicks(10);
    const v1 = projector(1);
    await v1.setup();
    await v1.catchUp();
    const seenActive: number[] = [];
    const base = versionedTicks(2);
    const v2projection: PostgresProjection<'ticks'> = {
      ...base,
      async apply(client, event, tables) {
        if ((event.data as { n: number }).n === 100)
          seenActive.push(
            (await client.query(`SELECT version FROM "${schema}".projection_builds WHERE active`)).rows[0].version,
          );
        await base.apply(client, event, tables);
      },
    };
    const lateStore = storeWithHeadHook(async () => {
      await store.appendToStream(`tick-${randomUUID()}`, [{ type: 'Tick', data: { n: 100 } }], {
        expectedRevision: 'no_stream',
      });
      await v1.catchUp(); // readers now see n=100, the builder's batch has not
    });
    const v2 = projector(2, undefined, { projection: v2projection, store: lateStore });
    await v2.setup();
    await v2.catchUp();
    expect(seenActive).toEqual([1]); // applied before the switch, not after readers lost it
    expect(await active()).toEqual({ version: 2, generation: 1 });
    expect((await rows()).map((r) => r.n)).toContain(100);
  });

  it('keeps building when another process switched builds between its batch and the switch', async () => {
    await appendTicks(10);
    const v1 = projector(1);
    await v1.setup();
    await v1.catchUp();
    const rebuilder = projector(1);
    await rebuilder.setup();
    const v2 = projector(2, undefined, { store: storeWithHeadHook(() => rebuilder.rebuild()) });
    await v2.setup();
    await v2.catchUp(); // expected v1.1 to replace, finds v1.2: must not switch from the wrong build
    expect(await active()).toEqual({ version: 2, generation: 1 });
    const upgraded = await rows();
    expect(upgraded.map((r) => r.n)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(upgraded.every((r) => r.applied_count === 1 && r.doubled === Number(r.n) * 2)).toBe(true);
    expect(await relkind('ticks_v1_2')).toBeNull();
  });

  it('switches without queueing readers behind a long reader, and upgrades when a stable table is missing', async () => {
    await appendTicks(10);
    const old = await store.readAll({ maxCount: 100 });
    await withTransaction(pool, (client) => projectLikeUnversionedCode(client, schema, old));
    // The new code adds a second table the old database never had.
    const base = versionedTicks(1);
    const twoTables: PostgresProjection<'ticks' | 'tick_notes'> = {
      ...base,
      tables: ['ticks', 'tick_notes'],
      async setup(client, tables) {
        await base.setup(client, tables);
        await client.query(`CREATE TABLE ${tables.tick_notes} (note text)`);
      },
    };
    const v1 = projector(1, undefined, { projection: twoTables, switchLockTimeoutMs: 100 });
    await v1.setup();

    const longReader = await pool.connect();
    try {
      await longReader.query('BEGIN');
      await longReader.query(`SELECT count(*) FROM "${schema}".ticks`);
      const building = v1.catchUp();
      await until(lockWaiting); // the switch asks for the table the long reader holds
      // A reader arriving now waits at most the switch's lock timeout, not for the long reader.
      const reader = await pool.connect();
      try {
        await reader.query('BEGIN');
        await reader.query(`SET LOCAL statement_timeout = 3000`);
        const { rows: count } = await reader.query(`SELECT count(*)::int AS n FROM "${schema}".ticks`);
        expect(count[0].n).toBe(10);
        await reader.query('COMMIT');
      } finally {
        reader.release();
      }
      await longReader.query('COMMIT');
      await building;
    } finally {
      longReader.release();
    }
    expect(await active()).toEqual({ version: 1, generation: 1 });
    expect(await relkind('ticks')).toBe('v');
    expect(await relkind('tick_notes')).toBe('v');
    expect((await rows()).map((r) => r.n)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('fails a rebuild loudly, leaving no tables behind, when another process switched to a newer version meanwhile', async () => {
    await appendTicks(20);
    const v1 = projector(1);
    await v1.setup();
    await v1.catchUp();
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const rebuilder = projector(1, { at: 3, reached, release: new Promise<void>((resolve) => (release = resolve)) });
    await rebuilder.setup();
    const rebuilding = rebuilder.rebuild();
    rebuilding.catch(() => undefined); // asserted below
    await atGate; // mid-way through its first batch (not its last)

    const v2 = projector(2);
    await v2.setup();
    const upgrading = v2.catchUp(); // switches, and drops the abandoned v1.2 once the rebuilder's batch commits
    await until(lockWaiting);
    release();
    await upgrading;
    await expect(rebuilding).rejects.toThrow(/overtaken/);
    expect(await active()).toEqual({ version: 2, generation: 1 });
    expect(await relkind('ticks_v1_2')).toBeNull();
    const builds = (await pool.query(`SELECT version, generation FROM "${schema}".projection_builds`)).rows;
    expect(builds).toEqual([{ version: 2, generation: 1 }]);
  });
});
