import { Pool } from 'pg';
import { quoteIdent } from '@study-buddy/event-store';

/** Reads of the `reservations` projection. */
export class ReservationsQueries {
  private readonly table: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.reservations`;
  }

  /** Holds no accepted video has confirmed for longer than `ttlMs`: candidates for release. */
  async unconfirmedOlderThan(
    ttlMs: number,
    limit = 100,
  ): Promise<Array<{ videoId: string; userId: string; attempt: number }>> {
    const { rows } = await this.pool.query<{ video_id: string; user_id: string; attempt: number }>(
      `SELECT video_id, user_id, attempt FROM ${this.table}
       WHERE status = 'reserved' AND reserved_at < now() - make_interval(secs => $1::double precision / 1000)
       ORDER BY reserved_at LIMIT $2`,
      [ttlMs, limit],
    );
    return rows.map((r) => ({ videoId: r.video_id, userId: r.user_id, attempt: r.attempt }));
  }
}
