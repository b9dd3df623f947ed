import { z } from 'zod';
import { progressStepSchema } from '../progress';
import { defineEvent, isoDate, uuid } from '../events/define-event';
import { videoAttempt, youtubeVideoId } from '../events/videos-events';

/**
 * What videos tells the platform about a video's life. Each schema is a subset
 * of the domain event that was published before (same field names), so
 * version 1 messages already in the stream still validate. VideoProgressed is private.
 */
export const VideosIntegrationEvents = {
  VideoSubmitted: defineEvent(
    'VideoSubmitted',
    1,
    z.object({
      videoId: uuid,
      userId: uuid,
      youtubeVideoId,
      url: z.string().url(),
      subject: z.string().max(100).optional(),
      language: z.string().max(20).optional(),
      // whether to add assessment questions; absent: the processor's GENERATE_ASSESSMENT (optional, so v1 still)
      assessment: z.boolean().optional(),
      // where the user-provided transcript was stored, if one came with the submission
      transcriptKey: z.string().optional(),
      // absent = 1; a retry is the same video submitted again with the next attempt
      attempt: videoAttempt.optional(),
      submittedAt: isoDate,
    }),
  ),
  VideoCompleted: defineEvent(
    'VideoCompleted',
    1,
    z.object({ videoId: uuid, userId: uuid, noteId: uuid, attempt: videoAttempt.optional(), completedAt: isoDate }),
  ),
  VideoFailed: defineEvent(
    'VideoFailed',
    1,
    z.object({
      videoId: uuid,
      userId: uuid,
      error: z.string().max(2000),
      failedStep: progressStepSchema,
      retryable: z.boolean(),
      attempt: videoAttempt.optional(),
      failedAt: isoDate,
    }),
  ),
  // billing releases the attempt's credit, the processor stops, notes withdraws a note that arrives late
  VideoCancelled: defineEvent(
    'VideoCancelled',
    1,
    z.object({ videoId: uuid, userId: uuid, attempt: videoAttempt, cancelledAt: isoDate }),
  ),
  // notes deletes the note and its content
  VideoDeleted: defineEvent(
    'VideoDeleted',
    1,
    z.object({ videoId: uuid, userId: uuid, attempt: videoAttempt, deletedAt: isoDate }),
  ),
} as const;
