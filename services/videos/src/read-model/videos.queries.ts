import { Pool } from 'pg';
import {
  ListVideosReply,
  ListVideosRequest,
  ProgressStep,
  UsageTotal,
  VideoStatus,
  VideoView,
} from '@study-buddy/contracts';
import { keysetPage, quoteIdent } from '@study-buddy/event-store';

interface VideoRow {
  video_id: string;
  user_id: string;
  youtube_video_id: string;
  url: string;
  status: VideoStatus;
  progress: number;
  step: ProgressStep | null;
  status_message: string | null;
  note_id: string | null;
  title: string | null;
  subject: string | null;
  error_message: string | null;
  failed_step: string | null;
  retryable: boolean | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  attempt: number;
  channel: string | null;
  duration_seconds: number | null;
  thumbnail_key: string | null;
  thumbnail_etag: string | null;
  thumbnail_content_type: string | null;
  usage: UsageTotal | null;
}

const toView = (r: VideoRow): VideoView => ({
  videoId: r.video_id,
  youtubeVideoId: r.youtube_video_id,
  url: r.url,
  status: r.status,
  progress: Math.round(r.progress),
  step: r.step,
  statusMessage: r.status_message,
  noteId: r.note_id,
  title: r.title,
  channel: r.channel,
  durationSeconds: r.duration_seconds,
  hasThumbnail: r.thumbnail_key !== null,
  subject: r.subject,
  error: r.error_message
    ? { message: r.error_message, failedStep: r.failed_step ?? 'starting', retryable: Boolean(r.retryable) }
    : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  completedAt: r.completed_at?.toISOString() ?? null,
  attempt: r.attempt,
  usage: r.usage ?? null,
});

/** Reads of the `videos` projection. Every query is scoped to the caller's user id. */
export class VideosQueries {
  private readonly table: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.videos`;
  }

  async get(userId: string, videoId: string): Promise<VideoView | null> {
    const { rows } = await this.pool.query<VideoRow>(
      `SELECT * FROM ${this.table} WHERE video_id = $1 AND user_id = $2`,
      [videoId, userId],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Where the caller's video keeps its thumbnail, when it has one. */
  async thumbnail(userId: string, videoId: string): Promise<{ key: string; etag: string; contentType: string } | null> {
    const { rows } = await this.pool.query<VideoRow>(
      `SELECT thumbnail_key, thumbnail_etag, thumbnail_content_type FROM ${this.table} WHERE video_id = $1 AND user_id = $2`,
      [videoId, userId],
    );
    const r = rows[0];
    if (!r?.thumbnail_key || !r.thumbnail_etag || !r.thumbnail_content_type) return null;
    return { key: r.thumbnail_key, etag: r.thumbnail_etag, contentType: r.thumbnail_content_type };
  }

  async list(request: ListVideosRequest): Promise<ListVideosReply | null> {
    const where = ['user_id = $1'];
    const params: unknown[] = [request.userId];
    if (request.status) {
      params.push(request.status);
      where.push(`status = $${params.length}`);
    }
    const page = await keysetPage<VideoRow>(this.pool, {
      table: this.table,
      idColumn: 'video_id',
      where,
      params,
      cursor: request.cursor,
      limit: request.limit,
    });
    return page && { items: page.rows.map(toView), nextCursor: page.nextCursor };
  }
}
