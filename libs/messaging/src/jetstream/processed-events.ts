import { Pool } from 'pg';
import { applyMigrations, Migration, prepared, quoteIdent } from '@study-buddy/event-store';

/** Which event ids a consumer has already handled: the guard that makes redelivery harmless. */
export interface ProcessedEvents {
  has(consumer: string, eventId: string): Promise<boolean>;
  mark(consumer: string, eventId: string): Promise<void>;
}

export const processedEventsMigrations: Migration[] = [
  {
    version: 1,
    name: 'processed events',
    async up(client, schema) {
      await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.processed_events (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id))`);
    },
  },
];

export async function migrateProcessedEvents(pool: Pool, schema: string): Promise<void> {
  await applyMigrations(pool, schema, 'processed-events', processedEventsMigrations);
}

export function createPostgresProcessedEvents(pool: Pool, schema: string): ProcessedEvents {
  const s = quoteIdent(schema);
  return {
    async has(consumer, eventId) {
      const { rowCount } = await pool.query(
        prepared(`SELECT 1 FROM ${s}.processed_events WHERE consumer = $1 AND event_id = $2`, [consumer, eventId]),
      );
      return (rowCount ?? 0) > 0;
    },
    async mark(consumer, eventId) {
      await pool.query(
        prepared(`INSERT INTO ${s}.processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          consumer,
          eventId,
        ]),
      );
    },
  };
}

export function createMemoryProcessedEvents(): ProcessedEvents {
  const seen = new Set<string>();
  return {
    has: async (consumer, eventId) => seen.has(`${consumer}/${eventId}`),
    mark: async (consumer, eventId) => void seen.add(`${consumer}/${eventId}`),
  };
}
