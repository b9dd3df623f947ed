import { Pool } from 'pg';
import {
  createMemoryEventStore,
  createPostgresProjector,
  EventStore,
  PostgresProjection,
  Projector,
} from '@study-buddy/event-store';
import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import { StoredEvent, storeEvents } from './service-spec';

export interface ProjectionSpec {
  readonly pool: Pool;
  readonly schema: string;
  readonly projector: Projector;
  readonly store: EventStore;
  /** Stores events; the projection sees them on the next `rows` or `catchUp`. */
  given(events: StoredEvent[]): Promise<void>;
  catchUp(): Promise<void>;
  /** Catches up, then runs `sql` with `$schema` replaced by the quoted schema (readers' views live there). */
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A projection on the real PostgreSQL, fed from the in-memory event store:
 * events in, rows out, through the production projector (same transaction,
 * same checkpoint), in a schema of its own that `close` drops.
 */
export async function projectionSpec(
  build: () => PostgresProjection,
  options: { store?: EventStore } = {},
): Promise<ProjectionSpec> {
  const pool = createTestPool(4);
  const schema = uniqueSchema('projection');
  const store = options.store ?? createMemoryEventStore();
  const projector = createPostgresProjector({ pool, schema, store, projection: build() });
  await projector.setup();
  const spec: ProjectionSpec = {
    pool,
    schema,
    projector,
    store,
    given: (events) => storeEvents(store, events),
    catchUp: () => projector.catchUp(),
    async rows<T>(sql: string, params: unknown[] = []) {
      await projector.catchUp();
      return (await pool.query(sql.replaceAll('$schema', `"${schema}"`), params)).rows as T[];
    },
    async close() {
      await projector.stop();
      await dropSchema(pool, schema);
      await pool.end();
    },
  };
  return spec;
}
