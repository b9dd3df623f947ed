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
  /**
   * What YouTube says about the video, read once after it was submitted (private to videos): shown on
   * its status, in lists, and its thumbnail (stored at `thumbnailKey`, served by the gateway).
   */
  VideoInfoRecorded: defineEvent(
    'VideoInfoRecorded',
    1,
    z.object({
      videoId: uuid,
      userId: uuid,
      title: z.string().max(300).nullable(),
      channel: z.string().max(300).nullable(),
      channelId: z.string().max(100).nullable(),
      durationSeconds: z.number().int().nonnegative().nullable(),
      publishDate: z.string().max(40).nullable(),
      thumbnail: z
        .object({ key: z.string().max(300), contentType: z.string().max(100), etag: z.string().max(100) })
        .nullable(),
      recordedAt: isoDate,
    }),
  ),
  /** The user removed the video: it leaves every list, its note and blobs are deleted; its history stays. */
  VideoDeleted: defineEvent(
    'VideoDeleted',
    1,
    z.object({ videoId: uuid, userId: uuid, attempt: videoAttempt, deletedAt: isoDate }),
  ),
  /** Its owner deleted the video's note (the video stays, completed, with no note). */
  VideoNoteDeleted: defineEvent(
    'VideoNoteDeleted',
    1,
    z.object({ videoId: uuid, userId: uuid, noteId: uuid, deletedAt: isoDate }),
  ),
} as const;
export type VideosEvent = EventsOf<typeof VideosEvents>;

/** Stream `playlist-<id>`, owned by videos, private. */
export const PlaylistEvents = {
  /**
   * Videos of a playlist the user submitted (private to videos). The first one creates the playlist;
   * a later request of the same playlist adds the entries it did not have (each video is its own stream).
   */
  PlaylistItemsAdded: defineEvent(
    'PlaylistItemsAdded',
    1,
    z.object({
      playlistId: uuid,
      userId: uuid,
      youtubePlaylistId: z.string().max(100),
      title: z.string().max(300).nullable(),
      items: z.array(z.object({ position: z.number().int().nonnegative(), videoId: uuid, youtubeVideoId })).max(10_000),
      addedAt: isoDate,
    }),
  ),
} as const;
export type PlaylistEvent = EventsOf<typeof PlaylistEvents>;
