import { z } from 'zod';
import { progressStepSchema } from '../progress';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';
import { usageTotalSchema } from './usage';

export const youtubeVideoId = z.string().regex(/^[A-Za-z0-9_-]{11}$/, 'a YouTube video id has 11 characters');

/**
 * Which submission of a video an event belongs to: 1 for the first, n + 1 after each retry. Optional
 * (absent = 1) so events written before retries existed still validate without an upcaster.
 */
export const videoAttempt = z.number().int().positive();
export const attemptOf = (data: { attempt?: number }) => data.attempt ?? 1;

/** Stream `video-<id>`, owned by videos. */
export const VideosEvents = {
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
      // whether to add assessment questions; absent (also in events stored before it existed): the processor's default
      assessment: z.boolean().optional(),
      // where the user-provided transcript was stored, if one came with the submission
      transcriptKey: z.string().optional(),
      // a retry resubmits the video under the same id with the next attempt number
      attempt: videoAttempt.optional(),
      submittedAt: isoDate,
    }),
  ),
  VideoProgressed: defineEvent(
    'VideoProgressed',
    1,
    z.object({
      videoId: uuid,
      step: progressStepSchema,
      progress: z.number().min(0).max(100),
      message: z.string().max(500),
      at: isoDate,
    }),
  ),
  VideoCompleted: defineEvent(
    'VideoCompleted',
    1,
    z.object({
      videoId: uuid,
      userId: uuid,
      noteId: uuid,
      title: z.string(),
      subject: z.string().max(100),
      attempt: videoAttempt.optional(),
      completedAt: isoDate,
    }),
  ),
  /** What the processor's model calls for the current attempt cost (Claude writer only). */
  VideoUsageRecorded: defineEvent(
    'VideoUsageRecorded',
    1,
    z.object({
      videoId: uuid,
      attempt: videoAttempt.optional(),
      usage: usageTotalSchema,
      at: isoDate,
    }),
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
  /** The user stopped a queued or processing attempt: its credit goes back, the processor stops at the next step. */
  VideoCancelled: defineEvent(
    'VideoCancelled',
    1,
    z.object({ videoId: uuid, userId: uuid, attempt: videoAttempt, cancelledAt: isoDate }),
  ),
  /** The user removed the video: it leaves every list, its note and blobs are deleted; its history stays. */
  VideoDeleted: defineEvent(
    'VideoDeleted',
    1,
    z.object({ videoId: uuid, userId: uuid, attempt: videoAttempt, deletedAt: isoDate }),
  ),
} as const;
export type VideosEvent = EventsOf<typeof VideosEvents>;
