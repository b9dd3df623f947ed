import { assertNever, VideosEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection } from '@study-buddy/event-store';

/** `videos`: one row per video with its latest status, for status pages and lists. */
export function videosProjection(): PostgresProjection<'videos'> {
  return {
    name: 'videos',
    version: 1,
    tables: ['videos'],
    handles: ['VideoSubmitted', 'VideoProgressed', 'VideoCompleted', 'VideoFailed'],
    async setup(client, { videos: t }) {
      await client.query(`CREATE TABLE ${t} (
        video_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        youtube_video_id text NOT NULL,
        url text NOT NULL,
        status text NOT NULL,
        progress real NOT NULL DEFAULT 0,
        step text,
        status_message text,
        note_id uuid,
        title text,
        subject text,
        error_message text,
        failed_step text,
        retryable boolean,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        completed_at timestamptz)`);
      await client.query(`CREATE INDEX ON ${t} (user_id, created_at DESC, video_id DESC)`);
    },
    async apply(client, recorded, { videos: t }) {
      const event = asEvent<VideosEvent>(recorded);
      switch (event.type) {
        case 'VideoSubmitted': {
          const d = event.data;
          await client.query(
            `INSERT INTO ${t} (video_id, user_id, youtube_video_id, url, status, progress, status_message, subject, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'queued', 0, 'Waiting for a worker', $5, $6, $6) ON CONFLICT (video_id) DO NOTHING`,
            [d.videoId, d.userId, d.youtubeVideoId, d.url, d.subject ?? null, d.submittedAt],
          );
          return;
        }
        case 'VideoProgressed': {
          const d = event.data;
          await client.query(
            `UPDATE ${t} SET status = 'processing', progress = $2, step = $3, status_message = $4, updated_at = $5 WHERE video_id = $1`,
            [d.videoId, d.progress, d.step, d.message, d.at],
          );
          return;
        }
        case 'VideoCompleted': {
          const d = event.data;
          await client.query(
            `UPDATE ${t} SET status = 'completed', progress = 100, step = 'completed', status_message = 'Study note ready',
             note_id = $2, title = $3, subject = $5, updated_at = $4, completed_at = $4 WHERE video_id = $1`,
            [d.videoId, d.noteId, d.title, d.completedAt, d.subject],
          );
          return;
        }
        case 'VideoFailed': {
          const d = event.data;
          await client.query(
            `UPDATE ${t} SET status = 'failed', status_message = $2, error_message = $2, failed_step = $3, retryable = $4, updated_at = $5
             WHERE video_id = $1`,
            [d.videoId, d.error, d.failedStep, d.retryable, d.failedAt],
          );
          return;
        }
        default:
          return assertNever(event, 'videos event');
      }
    },
  };
}
