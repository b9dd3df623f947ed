import { z } from 'zod';
import { progressStepSchema } from '../progress';
import { defineEvent, isoDate, uuid } from '../events/define-event';
import { noteMetadataSchema } from '../events/processor-events';
import { usageTotalSchema } from '../events/usage';
import { videoAttempt, youtubeVideoId } from '../events/videos-events';

/** What the pipeline announces about a job (`videoAttempt`: which submission, absent = 1). JobStarted and JobCancelled are private. */
export const ProcessorIntegrationEvents = {
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
  // notes files the note from it: the whole result, including where its body is stored
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
      /** What the attempt's model calls cost in tokens, all its runs (absent for the offline writer); optional, so v1 still. */
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
      /** What the failed attempt's model calls cost (spent all the same; absent without calls); optional, so v1 still. */
      usage: usageTotalSchema.optional(),
      videoAttempt: videoAttempt.optional(),
      failedAt: isoDate,
    }),
  ),
  /** What a cancelled attempt's model calls cost, once its job stopped (none without calls): spent all the same. */
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
