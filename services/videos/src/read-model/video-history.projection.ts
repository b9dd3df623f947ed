import {
  assertNever,
  HISTORY_END,
  historySequence,
  PROGRESS_MESSAGES,
  PROGRESS_STEPS,
  ProgressStep,
  VideosEvent,
} from '@study-buddy/contracts';

/** The processing steps in pipeline order (the end is not one). */
const STEPS: ProgressStep[] = (Object.keys(PROGRESS_STEPS) as ProgressStep[]).filter((s) => s !== 'completed');
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

/**
 * `video_history`: every step a video went through, one row per history sequence number, so a live
 * progress stream can replay what a reconnecting client missed. A step recorded twice (a job re-run
 * after a crash) keeps its first row, as the client saw it first. It holds the current attempt only: a retry
 * starts the history over, and a deleted video has none.
 * v3: the attempt each row is of, so a stream's event ids tell attempts apart.
 */
export function videoHistoryProjection(): PostgresProjection<'video_history'> {
  return {
    name: 'video_history',
    version: 3,
    tables: ['video_history'],
    handles: ['VideoSubmitted', 'VideoProgressed', 'VideoCompleted', 'VideoFailed', 'VideoCancelled', 'VideoDeleted'],
    async setup(client, { video_history: t }) {
      await client.query(`CREATE TABLE ${t} (
        video_id uuid NOT NULL,
        seq integer NOT NULL,
        user_id uuid NOT NULL,
        attempt integer NOT NULL,
        status text NOT NULL,
        step text,
        progress real NOT NULL,
        message text,
        note_id uuid,
        error_message text,
        failed_step text,
        retryable boolean,
        at timestamptz NOT NULL,
        PRIMARY KEY (video_id, seq))`);
    },
    async apply(client, recorded, { video_history: t }) {
      const event = asEvent<VideosEvent>(recorded);
      // Only VideoSubmitted names the user and the attempt; later rows copy them from the video's first row.
      const insert = (values: {
        seq: number;
        status: string;
        step: string | null;
        progress: number;
        message: string | null;
        noteId?: string;
        error?: { message: string; failedStep: string; retryable: boolean };
        at: string;
      }) =>
        client.query(
          prepared(
            `INSERT INTO ${t} (video_id, seq, user_id, attempt, status, step, progress, message, note_id, error_message, failed_step, retryable, at)
           SELECT $1, $2, user_id, attempt, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM ${t} WHERE video_id = $1 AND seq = 0
           ON CONFLICT (video_id, seq) DO NOTHING`,
            [
              event.data.videoId,
              values.seq,
              values.status,
              values.step,
              values.progress,
              values.message,
              values.noteId ?? null,
              values.error?.message ?? null,
              values.error?.failedStep ?? null,
              values.error?.retryable ?? null,
              values.at,
            ],
          ),
        );
      /**
       * The steps before an end that the history lacks: a video's per-type consumers may record its
       * completion (or failure) before the last progress reports, which the decider then refuses as
       * late. The pipeline is linear, so every step before the end did happen: it is filled in.
       */
      const backfill = async (through: ProgressStep, at: string) => {
        for (const step of STEPS.slice(0, STEPS.indexOf(through) + 1))
          await insert({
            seq: PROGRESS_STEPS[step],
            status: 'processing',
            step,
            progress: PROGRESS_STEPS[step],
            message: PROGRESS_MESSAGES[step],
            at,
          });
      };
      switch (event.type) {
        case 'VideoSubmitted': {
          const d = event.data;
          if ((d.attempt ?? 1) > 1) await client.query(prepared(`DELETE FROM ${t} WHERE video_id = $1`, [d.videoId]));
          await client.query(
            prepared(
              `INSERT INTO ${t} (video_id, seq, user_id, attempt, status, progress, message, at)
             VALUES ($1, 0, $2, $3, 'queued', 0, 'Waiting for a worker', $4) ON CONFLICT (video_id, seq) DO NOTHING`,
              [d.videoId, d.userId, d.attempt ?? 1, d.submittedAt],
            ),
          );
          return;
        }
        case 'VideoProgressed': {
          const d = event.data;
          await insert({
            seq: historySequence('processing', d.step),
            status: 'processing',
            step: d.step,
            progress: d.progress,
            message: d.message,
            at: d.at,
          });
          return;
        }
        case 'VideoCompleted': {
          const d = event.data;
          await backfill('creating_links', d.completedAt);
          await insert({
            seq: HISTORY_END,
            status: 'completed',
            step: 'completed',
            progress: 100,
            message: 'Study note ready',
            noteId: d.noteId,
            at: d.completedAt,
          });
          return;
        }
        case 'VideoFailed': {
          const d = event.data;
          // the failed step itself started (and was announced) before it failed
          if (d.failedStep !== 'completed') await backfill(d.failedStep, d.failedAt);
          await insert({
            seq: HISTORY_END,
            status: 'failed',
            step: d.failedStep,
            progress: PROGRESS_STEPS[d.failedStep],
            message: d.error,
            error: { message: d.error, failedStep: d.failedStep, retryable: d.retryable },
            at: d.failedAt,
          });
          return;
        }
        case 'VideoCancelled':
          await insert({
            seq: HISTORY_END,
            status: 'cancelled',
            step: null,
            progress: 0,
            message: 'Cancelled',
            at: event.data.cancelledAt,
          });
          return;
        case 'VideoUsageRecorded':
          return; // not handled: cost is not a step of the history
        case 'VideoDeleted':
          await client.query(prepared(`DELETE FROM ${t} WHERE video_id = $1`, [event.data.videoId]));
          return;
        case 'VideoInfoRecorded':
        case 'VideoNoteDeleted':
          return; // not a step of the video's progress (and not in `handles`)
        default:
          return assertNever(event, 'videos event');
      }
    },
  };
}
