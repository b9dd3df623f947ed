import { VideosEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

type UsageTable = 'usage_months' | 'usage_month_videos' | 'usage_video_owners' | 'usage_attempts';

/** `2026-11` for an ISO timestamp: the UTC month the money was spent in. */
export const monthOf = (at: string) => new Date(at).toISOString().slice(0, 7);

/**
 * `usage_months`: each user's model spend added up per UTC month, so `GET /usage` reads a few rows
 * instead of summing every video. Every attempt's usage counts (spent money is spent): a retry
 * starting over, or the video being deleted, takes nothing away. `usage_month_videos` counts each
 * video once per month; `usage_video_owners` names the user, which VideoUsageRecorded does not.
 * Each attempt reports its total once (completed or failed, every run of it), and `usage_attempts`
 * counts it once even if its usage is recorded again. Costs are kept in micro-dollars (the precision
 * the processor rounds to), so sums stay exact.
 * v2: `usage_attempts`; failed attempts' usage counts too.
 */
export function usageProjection(): PostgresProjection<UsageTable> {
  return {
    name: 'usage_by_month',
    version: 2,
    tables: ['usage_months', 'usage_month_videos', 'usage_video_owners', 'usage_attempts'],
    handles: ['VideoSubmitted', 'VideoUsageRecorded'],
    async setup(client, t) {
      await client.query(`CREATE TABLE ${t.usage_video_owners} (video_id uuid PRIMARY KEY, user_id uuid NOT NULL)`);
      await client.query(`CREATE TABLE ${t.usage_attempts} (
        video_id uuid NOT NULL,
        attempt integer NOT NULL,
        PRIMARY KEY (video_id, attempt))`);
      await client.query(`CREATE TABLE ${t.usage_month_videos} (
        user_id uuid NOT NULL,
        month text NOT NULL,
        video_id uuid NOT NULL,
        PRIMARY KEY (user_id, month, video_id))`);
      await client.query(`CREATE TABLE ${t.usage_months} (
        user_id uuid NOT NULL,
        month text NOT NULL,
        videos integer NOT NULL,
        calls bigint NOT NULL,
        input_tokens bigint NOT NULL,
        output_tokens bigint NOT NULL,
        cache_read_tokens bigint NOT NULL,
        cache_write_tokens bigint NOT NULL,
        cost_micro_usd bigint NOT NULL,
        -- usage records without a price: the month's cost is then unknown, not an underestimate
        unpriced integer NOT NULL,
        PRIMARY KEY (user_id, month))`);
    },
    async apply(client, recorded, t) {
      const event = asEvent<VideosEvent>(recorded);
      if (event.type === 'VideoSubmitted') {
        // A retry resubmits under the same id and owner.
        await client.query(
          prepared(`INSERT INTO ${t.usage_video_owners} (video_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
            event.data.videoId,
            event.data.userId,
          ]),
        );
        return;
      }
      if (event.type !== 'VideoUsageRecorded') return;
      const d = event.data;
      const owner = await client.query<{ user_id: string }>(
        prepared(`SELECT user_id FROM ${t.usage_video_owners} WHERE video_id = $1`, [d.videoId]),
      );
      const userId = owner.rows[0]?.user_id;
      // Cannot happen (the decider records usage only for a submitted video); skipping beats stalling the projector.
      if (!userId) return;
      const first = await client.query(
        prepared(`INSERT INTO ${t.usage_attempts} (video_id, attempt) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          d.videoId,
          d.attempt ?? 1,
        ]),
      );
      if (first.rowCount === 0) return; // this attempt's spend is counted already
      const month = monthOf(d.at);
      const counted = await client.query(
        prepared(
          `INSERT INTO ${t.usage_month_videos} (user_id, month, video_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [userId, month, d.videoId],
        ),
      );
      const u = d.usage;
      const cost = u.estimatedCostUsd === null ? 0 : Math.round(u.estimatedCostUsd * 1_000_000);
      await client.query(
        prepared(
          `INSERT INTO ${t.usage_months} AS m (user_id, month, videos, calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, cost_micro_usd, unpriced)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (user_id, month) DO UPDATE SET videos = m.videos + $3, calls = m.calls + $4,
           input_tokens = m.input_tokens + $5, output_tokens = m.output_tokens + $6,
           cache_read_tokens = m.cache_read_tokens + $7, cache_write_tokens = m.cache_write_tokens + $8,
           cost_micro_usd = m.cost_micro_usd + $9, unpriced = m.unpriced + $10`,
          [
            userId,
            month,
            counted.rowCount ?? 0,
            u.calls,
            u.inputTokens,
            u.outputTokens,
            u.cacheReadTokens,
            u.cacheWriteTokens,
            cost,
            u.estimatedCostUsd === null ? 1 : 0,
          ],
        ),
      );
    },
  };
}
