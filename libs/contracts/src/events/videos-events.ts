import { z } from 'zod';
import { progressStepSchema } from '../progress';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';

export const youtubeVideoId = z.string().regex(/^[A-Za-z0-9_-]{11}$/, 'a YouTube video id has 11 characters');

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
      completedAt: isoDate,
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
      failedAt: isoDate,
    }),
  ),
} as const;
export type VideosEvent = EventsOf<typeof VideosEvents>;
