import { z } from 'zod';
import { progressStepSchema } from '../progress';
import { defineEvent, isoDate, uuid } from '../events/define-event';
import { youtubeVideoId } from '../events/videos-events';

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
      submittedAt: isoDate,
    }),
  ),
  VideoCompleted: defineEvent(
    'VideoCompleted',
    1,
    z.object({ videoId: uuid, userId: uuid, noteId: uuid, completedAt: isoDate }),
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
      failedAt: isoDate,
    }),
  ),
} as const;
