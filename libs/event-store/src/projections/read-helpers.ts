import { Pool } from 'pg';
import { decodeCursor, encodeCursor } from '@study-buddy/contracts';
import { EventStore } from '../event-store';
import { Projector } from './postgres-projector';

/**
 * Read-your-writes for one row: if the projection does not have it yet but the
 * stream exists and belongs to the caller, wait for the projector to reach the
 * stream's last event and ask again. Anyone else's stream reads as missing.
 */
export async function readYourWrites<T>(options: {
  store: EventStore;
  projector: Projector;
  streamName: string;
  owner: string;
  query: () => Promise<T | null>;
  timeoutMs?: number;
}): Promise<T | null> {
  const found = await options.query();
  if (found) return found;
  const stream = await options.store.readStream(options.streamName);
  if (stream.length === 0 || stream[0].metadata.userId !== options.owner) return null;
  await options.projector.waitForPosition(stream[stream.length - 1].position, options.timeoutMs ?? 3000);
  return options.query();
}

/**
 * One page of a keyset-paginated list, newest first, with an opaque cursor over
 * (created_at, id). Returns null for a cursor this API did not issue.
 */
export async function keysetPage<Row extends { created_at: Date }>(
  pool: Pool,
  options: { table: string; idColumn: string; where: string[]; params: unknown[]; cursor?: string; limit: number },
): Promise<{ rows: Row[]; nextCursor: string | null } | null> {
  const where = [...options.where];
  const params = [...options.params];
  if (options.cursor) {
    const cursor = decodeCursor(options.cursor);
    if (!cursor || !/^[0-9a-f-]{36}$/i.test(cursor.id)) return null;
    params.push(cursor.createdAt, cursor.id);
    where.push(`(created_at, ${options.idColumn}) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(options.limit + 1);
  const { rows } = await pool.query<Row>(
    `SELECT * FROM ${options.table} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, ${options.idColumn} DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1] as (Row & Record<string, unknown>) | undefined;
  return {
    rows: page,
    nextCursor:
      rows.length > options.limit && last
        ? encodeCursor(last.created_at.toISOString(), String(last[options.idColumn]))
        : null,
  };
}
