import { Pool } from 'pg';
import { UsageFigures, UsageReply, UsageRequest } from '@study-buddy/contracts';
import { quoteIdent } from '@study-buddy/event-store';

interface MonthRow {
  month: string;
  videos: number;
  calls: string;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  cost_micro_usd: string;
  unpriced: number;
}

const figures = (r: Omit<MonthRow, 'month'>): UsageFigures => ({
  videos: Number(r.videos),
  calls: Number(r.calls),
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
  cacheReadTokens: Number(r.cache_read_tokens),
  cacheWriteTokens: Number(r.cache_write_tokens),
  estimatedCostUsd: Number(r.unpriced) > 0 ? null : Number(r.cost_micro_usd) / 1_000_000,
});

/** Reads of `usage_months`, scoped to the caller's user id. */
export class UsageQueries {
  private readonly months: string;
  private readonly monthVideos: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.months = `${quoteIdent(schema)}.usage_months`;
    this.monthVideos = `${quoteIdent(schema)}.usage_month_videos`;
  }

  /** The user's months with usage, newest first, and their total (a video counted once over the period). */
  async byMonth({ userId, from, to }: UsageRequest): Promise<UsageReply> {
    // `YYYY-MM` sorts as it reads; absent bounds take every month.
    const range = `user_id = $1 AND month >= COALESCE($2, '0000-00') AND month <= COALESCE($3, '9999-99')`;
    const params = [userId, from ?? null, to ?? null];
    const [{ rows }, distinct] = await Promise.all([
      this.pool.query<MonthRow>(`SELECT * FROM ${this.months} WHERE ${range} ORDER BY month DESC`, params),
      this.pool.query<{ videos: string }>(
        `SELECT count(DISTINCT video_id) AS videos FROM ${this.monthVideos} WHERE ${range}`,
        params,
      ),
    ]);
    const sum = (key: keyof Omit<MonthRow, 'month'>) => rows.reduce((s, r) => s + Number(r[key]), 0);
    return {
      months: rows.map((r) => ({ month: r.month, ...figures(r) })),
      total: figures({
        videos: Number(distinct.rows[0]?.videos ?? 0),
        calls: String(sum('calls')),
        input_tokens: String(sum('input_tokens')),
        output_tokens: String(sum('output_tokens')),
        cache_read_tokens: String(sum('cache_read_tokens')),
        cache_write_tokens: String(sum('cache_write_tokens')),
        cost_micro_usd: String(sum('cost_micro_usd')),
        unpriced: sum('unpriced'),
      }),
    };
  }
}
