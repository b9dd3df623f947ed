import { Pool } from 'pg';
import { EventStore } from './event-store';
import { createEventStoreDbEventStore } from './adapters/eventstoredb-event-store';
import { createMemoryEventStore } from './adapters/memory-event-store';
import { createPostgresEventStore, migratePostgresEventStore } from './adapters/postgres-event-store';

export type EventStoreConfig =
  | { kind: 'postgres'; pool: Pool; schema: string }
  | { kind: 'eventstoredb'; connectionString: string; streamPrefixes: string[] }
  | { kind: 'memory' };

/** Picks the adapter from configuration and prepares it (creates the PostgreSQL tables). */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'postgres':
      await migratePostgresEventStore(config.pool, config.schema);
      return createPostgresEventStore({ pool: config.pool, schema: config.schema });
    case 'eventstoredb':
      return createEventStoreDbEventStore({
        connectionString: config.connectionString,
        streamPrefixes: config.streamPrefixes,
      });
    case 'memory':
      return createMemoryEventStore();
  }
}
