import { Pool } from 'pg';
import { ProgressStep, VideoHistoryEntry, VideoStatus } from '@study-buddy/contracts';
import { quoteIdent } from '@study-buddy/event-store';

interface HistoryRow {
  video_id: string;
  seq: number;
  attempt: number;
  status: VideoStatus;
  step: ProgressStep | null;
  progress: number;
  message: string | null;
  note_id: string | null;
  error_message: string | null;
  failed_step: string | null;
  retryable: boolean | null;
  at: Date;
}

/** Reads of `video_history`, scoped to the caller's user id. */
export class VideoHistoryQueries {
  private readonly table: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.video_history`;
  }

  /**
   * The video's entries after `after`, in order; null when the video is not the user's (or not projected yet).
   * `after` is a point in `attempt` (the current one when not given): of an earlier attempt, it names
   * nothing in the history now held, which is then the whole of the current attempt's.
   */
  async after(userId: string, videoId: string, after: number, attempt?: number): Promise<VideoHistoryEntry[] | null> {
    // a video's history is a handful of rows (one per step): read them all, then choose
    const { rows } = await this.pool.query<HistoryRow>(
      `SELECT h.* FROM ${this.table} h WHERE h.video_id = $1 AND h.user_id = $2 ORDER BY h.seq`,
      [videoId, userId],
    );
    if (rows.length === 0) return null;
    const current = rows[0].attempt;
    // a later attempt than this history holds: it is behind the caller, with nothing new for it yet
    if (attempt !== undefined && attempt > current) return [];
    const from = attempt === undefined || attempt === current ? after : -1;
    return rows
      .filter((r) => r.seq > from)
      .map((r) => ({
        videoId: r.video_id,
        attempt: r.attempt,
        seq: r.seq,
        status: r.status,
        step: r.step,
        progress: Math.round(r.progress),
        message: r.message,
        noteId: r.note_id,
        error: r.error_message
          ? { message: r.error_message, failedStep: r.failed_step ?? 'starting', retryable: Boolean(r.retryable) }
          : null,
        at: r.at.toISOString(),
      }));
  }
}
