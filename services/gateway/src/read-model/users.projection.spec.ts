import { Pool } from 'pg';
import { GatewayEvents } from '@study-buddy/contracts';
import {
  createPostgresEventStore,
  createPostgresProjector,
  EventStore,
  handleCommand,
  loadState,
  migratePostgresEventStore,
  upcastingEventStore,
} from '@study-buddy/event-store';
import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import { userDecider, userStream } from '../domain/user.decider';
import { gatewayUpcasters } from '../domain/user.upcasters';
import { usersProjection } from './users.projection';

const ada = '11111111-1111-4111-8111-111111111111';
const bob = '22222222-2222-4222-8222-222222222222';
const cy = '33333333-3333-4333-8333-333333333333';
const at = '2026-11-30T10:00:00.000Z';

describe('users read model on a database from before UserRegistered v2 and versioned projections', () => {
  let pool: Pool;
  let schema: string;
  let raw: EventStore;
  let store: EventStore;

  beforeAll(async () => {
    pool = createTestPool();
    schema = uniqueSchema('users');
    await migratePostgresEventStore(pool, schema);
    raw = createPostgresEventStore({ pool, schema });
    store = upcastingEventStore(raw, gatewayUpcasters);
    // What the previous code stored: v1, `name` left out when none was given.
    for (const [userId, name] of [
      [ada, 'Ada'],
      [bob, undefined],
    ] as const) {
      await raw.appendToStream(
        userStream(userId),
        [
          {
            type: 'UserRegistered',
            data: {
              userId,
              email: `${userId.slice(0, 4)}@example.com`,
              ...(name ? { name } : {}),
              passwordHash: 'h',
              registeredAt: at,
            },
            metadata: { userId, schemaVersion: 1 },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    }
    // ...and the read model the previous code built from them (its DDL, its checkpoint name).
    const s = `"${schema}"`;
    await pool.query(
      `CREATE TABLE ${s}.checkpoints (name text PRIMARY KEY, position numeric(40, 0) NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    );
    await pool.query(
      `CREATE TABLE ${s}.users (user_id uuid PRIMARY KEY, email text NOT NULL, name text, registered_at timestamptz NOT NULL)`,
    );
    await pool.query(
      `INSERT INTO ${s}.users VALUES ($1, '1111@example.com', 'Ada', $3), ($2, '2222@example.com', NULL, $3)`,
      [ada, bob, at],
    );
    await pool.query(`INSERT INTO ${s}.checkpoints (name, position) VALUES ('users', $1)`, [
      (await raw.headPosition()).toString(),
    ]);
  });

  afterAll(async () => {
    await store.close();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('reads a stored v1 event as v2: evolve gets name null, not a missing field', async () => {
    const [event] = await store.readStream(userStream(bob));
    expect(event.metadata.schemaVersion).toBe(GatewayEvents.UserRegistered.version);
    expect(event.data).toMatchObject({ userId: bob, name: null });
    const { state } = await loadState(store, userStream(bob), userDecider);
    expect(state).toMatchObject({ registered: true, name: null, passwordHash: 'h' });
    expect((await loadState(store, userStream(ada), userDecider)).state.name).toBe('Ada');
  });

  it('writes v2 from the decider', async () => {
    await handleCommand(
      store,
      userStream(cy),
      userDecider,
      { type: 'RegisterUser', userId: cy, email: 'cy@example.com', passwordHash: 'h', now: at },
      { schemas: GatewayEvents },
    );
    const [stored] = await raw.readStream(userStream(cy));
    expect(stored.metadata.schemaVersion).toBe(2);
    expect(stored.data).toMatchObject({ name: null });
  });

  it('upgrades the unversioned users table to v2 from the upcast events, with the same rows and no preferences yet', async () => {
    const before = (await pool.query(`SELECT * FROM "${schema}".users ORDER BY user_id`)).rows;
    const projection = usersProjection();
    const seen: unknown[] = [];
    const projector = createPostgresProjector({
      pool,
      schema,
      store,
      projection: {
        ...projection,
        apply: (client, event, tables) => {
          seen.push([event.metadata.schemaVersion, (event.data as { name?: unknown }).name]);
          return projection.apply(client, event, tables);
        },
      },
    });
    await projector.setup();
    await projector.catchUp();
    const after = (await pool.query(`SELECT * FROM "${schema}".users ORDER BY user_id`)).rows;
    expect(after.slice(0, 2)).toEqual(
      before.map((row) => ({ ...row, default_subject: null, note_language: null, assessment: null })),
    );
    expect(after[2]).toMatchObject({ user_id: cy, name: null });
    expect(seen).toEqual([
      [2, 'Ada'],
      [2, null],
      [2, null],
    ]);
    const kind = await pool.query(`SELECT relkind FROM pg_class WHERE oid = to_regclass($1)`, [`"${schema}".users`]);
    expect(kind.rows[0].relkind).toBe('v');
  });
});
