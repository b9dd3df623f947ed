import { z } from 'zod';
import { progressStepSchema } from '../progress';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';
import { modelCallSchema, usageTotalSchema } from './usage';
import { videoAttempt, youtubeVideoId } from './videos-events';

export const noteMetadataSchema = z.object({
  title: z.string().min(1).max(300),
  subject: z.string().min(1).max(100),
  tags: z.array(z.string()).max(50),
  concepts: z.array(z.string()).max(50),
  language: z.string().max(20),
  wordCount: z.number().int().nonnegative(),
  summary: z.string().max(2000),
});
export type NoteMetadata = z.infer<typeof noteMetadataSchema>;

/**
 * Stream `job-<videoId>` (`job-<videoId>-<n>` for a video's attempt n > 1), owned by the processor.
 * `attempt` on JobStarted counts worker runs of one job; `videoAttempt` says which submission of the
 * video the job is for (absent = 1), so videos can ignore a late report of an attempt it has moved past.
 */
export const ProcessorEvents = {
  JobStarted: defineEvent(
    'JobStarted',
    1,
    z.object({
      videoId: uuid,
      userId: uuid,
      youtubeVideoId,
      attempt: z.number().int().positive(),
      videoAttempt: videoAttempt.optional(),
      startedAt: isoDate,
    }),
  ),
  JobProgressed: defineEvent(
    'JobProgressed',
    1,
    z.object({
      videoId: uuid,
      step: progressStepSchema,
      progress: z.number().min(0).max(100),
      message: z.string().max(500),
      videoAttempt: videoAttempt.optional(),
      at: isoDate,
    }),
  ),
  /** Which transcript the job read: the uploaded one, or the YouTube caption track chosen. Private to the processor. */
  TranscriptFetched: defineEvent(
    'TranscriptFetched',
    1,
    z.object({
      videoId: uuid,
      source: z.enum(['upload', 'youtube']),
      /** BCP-47-ish code YouTube uses ("en", "pt-BR"); null for an upload in an unknown language. */
      language: z.string().max(20).nullable(),
      kind: z.enum(['upload', 'manual', 'asr']),
      /** The track's own language when YouTube translated it into `language`. */
      translatedFrom: z.string().max(20).nullable(),
      trackName: z.string().max(200).optional(),
      /** The InnerTube client whose caption URL worked. */
      client: z.string().max(40).optional(),
      segments: z.number().int().nonnegative(),
      timestamped: z.boolean(),
      at: isoDate,
    }),
  ),
  /** What the note writer's model calls of one run cost in tokens (Claude only). Private to the processor. */
  ModelCallsRecorded: defineEvent(
    'ModelCallsRecorded',
    1,
    z.object({
      videoId: uuid,
      calls: z.array(modelCallSchema).min(1).max(100),
      at: isoDate,
    }),
  ),
  JobCompleted: defineEvent(
    'JobCompleted',
    1,
    z.object({
      videoId: uuid,
      userId: uuid,
      noteId: uuid,
      youtubeVideoId,
      videoUrl: z.string().url(),
      contentKey: z.string(),
      note: noteMetadataSchema,
      /** Every model call of this attempt, all its runs (absent for the offline writer). */
      usage: usageTotalSchema.optional(),
      videoAttempt: videoAttempt.optional(),
      completedAt: isoDate,
    }),
  ),
  JobFailed: defineEvent(
    'JobFailed',
    1,
    z.object({
      videoId: uuid,
      userId: uuid,
      error: z.string().max(2000),
      failedStep: progressStepSchema,
      retryable: z.boolean(),
      /** What the attempt's model calls cost, all its runs (absent without calls); optional, so v1 still. */
      usage: usageTotalSchema.optional(),
      videoAttempt: videoAttempt.optional(),
      failedAt: isoDate,
    }),
  ),
  /** The video was cancelled: the job does no further step (recorded even before it started, so it never does). */
  JobCancelled: defineEvent(
    'JobCancelled',
    1,
    z.object({ videoId: uuid, videoAttempt: videoAttempt.optional(), cancelledAt: isoDate }),
  ),
  /**
   * What a cancelled attempt spent (every run's model calls), recorded once the job has stopped, so no call
   * made after the cancellation is left out. None when the job made no call.
   */
  JobSpendSettled: defineEvent(
    'JobSpendSettled',
    1,
    z.object({
      videoId: uuid,
      userId: uuid,
      usage: usageTotalSchema,
      videoAttempt: videoAttempt.optional(),
      settledAt: isoDate,
    }),
  ),
} as const;
export type ProcessorEvent = EventsOf<typeof ProcessorEvents>;
