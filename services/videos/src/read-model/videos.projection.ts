import { assertNever, attemptOf, VideosEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

/**
 * `videos`: one row per video with its latest status, for status pages and lists. v2: the attempt, a
 * resubmission (retry) resets the row, `cancelled`, and a deleted video's row is gone. v3: YouTube's
 * channel, duration and thumbnail (VideoInfoRecorded); its title until the note's replaces it.
 * v4: `usage`, what the current attempt's model calls cost.
 */
export function videosProjection(): PostgresProjection<'videos'> {
  return {
    name: 'videos',
    version: 4,
    tables: ['videos'],
    handles: [
      'VideoSubmitted',
      'VideoProgressed',
      'VideoCompleted',
      'VideoUsageRecorded',
      'VideoFailed',
      'VideoCancelled',
      'VideoDeleted',
      'VideoInfoRecorded',
      'VideoNoteDeleted',
    ],
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
        completed_at timestamptz,
        attempt integer NOT NULL DEFAULT 1,
        channel text,
        duration_seconds integer,
        thumbnail_key text,
        thumbnail_etag text,
        thumbnail_content_type text,
        usage jsonb)`);
      await client.query(`CREATE INDEX ON ${t} (user_id, created_at DESC, video_id DESC)`);
    },
    async apply(client, recorded, { videos: t }) {
      const event = asEvent<VideosEvent>(recorded);
      switch (event.type) {
        case 'VideoSubmitted': {
          const d = event.data;
          // A retry starts the row over (same video, next attempt); created_at keeps the list order.
          await client.query(
            prepared(
              `INSERT INTO ${t} (video_id, user_id, youtube_video_id, url, status, progress, status_message, subject, created_at, updated_at, attempt)
             VALUES ($1, $2, $3, $4, 'queued', 0, 'Waiting for a worker', $5, $6, $6, $7)
             ON CONFLICT (video_id) DO UPDATE SET status = 'queued', progress = 0, step = NULL,
               status_message = 'Waiting for a worker', error_message = NULL, failed_step = NULL, retryable = NULL, usage = NULL,
               updated_at = $6, attempt = $7
             WHERE ${t}.attempt < $7`,
              [d.videoId, d.userId, d.youtubeVideoId, d.url, d.subject ?? null, d.submittedAt, attemptOf(d)],
            ),
          );
          return;
        }
        case 'VideoProgressed': {
          const d = event.data;
          await client.query(
            prepared(
              `UPDATE ${t} SET status = 'processing', progress = $2, step = $3, status_message = $4, updated_at = $5 WHERE video_id = $1`,
              [d.videoId, d.progress, d.step, d.message, d.at],
            ),
          );
          return;
        }
        case 'VideoCompleted': {
          const d = event.data;
          await client.query(
            prepared(
              `UPDATE ${t} SET status = 'completed', progress = 100, step = 'completed', status_message = 'Study note ready',
             note_id = $2, title = $3, subject = $5, updated_at = $4, completed_at = $4 WHERE video_id = $1`,
              [d.videoId, d.noteId, d.title, d.completedAt, d.subject],
            ),
          );
          return;
        }
        case 'VideoUsageRecorded': {
          const d = event.data;
          await client.query(
            prepared(`UPDATE ${t} SET usage = $2 WHERE video_id = $1 AND attempt = $3`, [
              d.videoId,
              JSON.stringify(d.usage),
              attemptOf(d),
            ]),
          );
          return;
        }
        case 'VideoFailed': {
          const d = event.data;
          await client.query(
            prepared(
              `UPDATE ${t} SET status = 'failed', status_message = $2, error_message = $2, failed_step = $3, retryable = $4, updated_at = $5
             WHERE video_id = $1`,
              [d.videoId, d.error, d.failedStep, d.retryable, d.failedAt],
            ),
          );
          return;
        }
        case 'VideoCancelled': {
          const d = event.data;
          await client.query(
            prepared(
              `UPDATE ${t} SET status = 'cancelled', status_message = 'Cancelled', updated_at = $2 WHERE video_id = $1`,
              [d.videoId, d.cancelledAt],
            ),
          );
          return;
        }
        case 'VideoDeleted':
          await client.query(prepared(`DELETE FROM ${t} WHERE video_id = $1`, [event.data.videoId]));
          return;
        case 'VideoNoteDeleted':
          await client.query(
            prepared(`UPDATE ${t} SET note_id = NULL, updated_at = $3 WHERE video_id = $1 AND note_id = $2`, [
              event.data.videoId,
              event.data.noteId,
              event.data.deletedAt,
            ]),
          );
          return;
        case 'VideoInfoRecorded': {
          const d = event.data;
          await client.query(
            prepared(
              `UPDATE ${t} SET title = COALESCE(title, $2), channel = $3, duration_seconds = $4,
             thumbnail_key = $5, thumbnail_etag = $6, thumbnail_content_type = $7 WHERE video_id = $1`,
              [
                d.videoId,
                d.title,
                d.channel,
                d.durationSeconds,
                d.thumbnail?.key ?? null,
                d.thumbnail?.etag ?? null,
                d.thumbnail?.contentType ?? null,
              ],
            ),
          );
          return;
        }
        default:
          return assertNever(event, 'videos event');
      }
    },
  };
}
