import { z } from 'zod';
import { uuid } from '../events/define-event';
import { usageTotalSchema } from '../events/usage';
import { progressStepSchema, videoStatusSchema } from '../progress';
import { pageReply, pageRequest } from './pagination';
import { resourceId } from '../validation';

/**
 * A ten-hour lecture is about 550,000 characters. The byte bound keeps a
 * submission inside one NATS message (1 MB by default) with room for the envelope.
 */
export const MAX_TRANSCRIPT_CHARS = 600_000;
export const MAX_TRANSCRIPT_BYTES = 800_000;

/** A language code such as en or pt-BR. */
export const languageCode = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en or pt-BR');

/**
 * What a client submits, with its limits, written once: the gateway validates `POST /videos`
 * with exactly these fields (strict) and videos validates the request it forwards with them too.
 */
export const submissionFields = z.object({
  url: z.string().trim().min(1, 'is required').max(2048),
  transcript: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_TRANSCRIPT_CHARS, `must be at most ${MAX_TRANSCRIPT_CHARS} characters`)
    .refine(
      (t) => Buffer.byteLength(t, 'utf8') <= MAX_TRANSCRIPT_BYTES,
      `must be at most ${MAX_TRANSCRIPT_BYTES} bytes`,
    )
    .optional(),
  subject: z.string().trim().min(1).max(100).optional(),
  language: languageCode.optional(),
  /** Add assessment questions; absent: the processor's GENERATE_ASSESSMENT decides. */
  assessment: z.boolean({ message: 'must be true or false' }).optional(),
});

export const submitVideoRequest = submissionFields.extend({ userId: uuid });
export type SubmitVideoRequest = z.infer<typeof submitVideoRequest>;

export const videoView = z.object({
  videoId: uuid,
  youtubeVideoId: z.string(),
  url: z.string(),
  status: videoStatusSchema,
  progress: z.number(),
  step: progressStepSchema.nullable(),
  statusMessage: z.string().nullable(),
  noteId: uuid.nullable(),
  title: z.string().nullable(),
  // from YouTube, once read after the submission (null until then, or when YouTube would not say);
  // defaults so a gateway still reads the replies of a videos release without them
  channel: z.string().nullable().default(null),
  durationSeconds: z.number().nullable().default(null),
  hasThumbnail: z.boolean().default(false),
  subject: z.string().nullable(),
  error: z.object({ message: z.string(), failedStep: z.string(), retryable: z.boolean() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  // 1 for the first submission, one more per retry
  attempt: z.number().int().positive(),
  /** Tokens and estimated cost of the model calls that wrote the note; null without them (offline writer, not done). */
  usage: usageTotalSchema.nullable().optional(),
});
export type VideoView = z.infer<typeof videoView>;

export const submitVideoReply = z.object({
  videoId: uuid,
  youtubeVideoId: z.string(),
  status: videoStatusSchema,
  // false when the same user had already submitted this video: no second charge
  created: z.boolean(),
});
export type SubmitVideoReply = z.infer<typeof submitVideoReply>;

export const getVideoRequest = z.object({ userId: uuid, videoId: resourceId });
export type GetVideoRequest = z.infer<typeof getVideoRequest>;

export const listVideosRequest = pageRequest.extend({ userId: uuid, status: videoStatusSchema.optional() });
export type ListVideosRequest = z.infer<typeof listVideosRequest>;
export const listVideosReply = pageReply(videoView);
export type ListVideosReply = z.infer<typeof listVideosReply>;

/** Cancel, retry and delete name a video of the caller's; anything else is not found. */
export const videoActionRequest = z.object({ userId: uuid, videoId: resourceId });
export type VideoActionRequest = z.infer<typeof videoActionRequest>;

export const retryVideoRequest = videoActionRequest.extend({
  // a transcript for the new attempt (the previous one is kept otherwise)
  transcript: submitVideoRequest.shape.transcript,
  // the attempt being retried, as the caller saw it: a repeat of the same retry then changes nothing
  attempt: z.number().int().positive().optional(),
});
export type RetryVideoRequest = z.infer<typeof retryVideoRequest>;

export const videoActionReply = z.object({
  videoId: uuid,
  status: videoStatusSchema,
  attempt: z.number().int().positive(),
  // false when the video was already in the requested state (a repeated cancel): nothing changed
  changed: z.boolean(),
});
export type VideoActionReply = z.infer<typeof videoActionReply>;
/** One entry of a video's durable history, as the SSE stream replays it (`seq`: see historySequence). */
export const videoHistoryEntry = z.object({
  videoId: uuid,
  /** The attempt this history is of: the current one (a retry starts the history over). */
  attempt: z.number().int().positive(),
  seq: z.number().int().min(0).max(100),
  status: videoStatusSchema,
  step: progressStepSchema.nullable(),
  progress: z.number(),
  message: z.string().nullable(),
  noteId: uuid.nullable(),
  error: z.object({ message: z.string(), failedStep: z.string(), retryable: z.boolean() }).nullable(),
  at: z.string(),
});
export type VideoHistoryEntry = z.infer<typeof videoHistoryEntry>;

export const videoHistoryRequest = z.object({
  userId: uuid,
  videoId: resourceId,
  /** Entries after this sequence number only (a client's Last-Event-ID). */
  after: z.number().int().min(-1).max(100).default(-1),
  /** The attempt `after` belongs to: when it is not the current attempt, the current one's whole history. */
  attempt: z.number().int().positive().optional(),
});
export type VideoHistoryRequest = z.infer<typeof videoHistoryRequest>;
export const videoHistoryReply = z.object({ items: z.array(videoHistoryEntry) });
export type VideoHistoryReply = z.infer<typeof videoHistoryReply>;

/** What a link is, before anything is submitted or charged. */
export const videoInfoRequest = z.object({ userId: uuid, url: z.string().min(1).max(2048) });
export type VideoInfoRequest = z.infer<typeof videoInfoRequest>;
export const videoInfoReply = z.object({
  youtubeVideoId: z.string(),
  url: z.string(),
  title: z.string().nullable(),
  channel: z.string().nullable(),
  channelId: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  publishDate: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  isLive: z.boolean(),
  captionLanguages: z.array(z.object({ languageCode: z.string(), name: z.string(), kind: z.enum(['manual', 'asr']) })),
  // false with a reason when submitting it would fail at once (private, age-restricted, no captions…)
  processable: z.boolean(),
  reason: z.string().nullable(),
  // credits a submission reserves
  cost: z.number().int().nonnegative(),
  // the caller's existing video of this link, which a submission returns without a charge
  existingVideoId: uuid.nullable(),
});
export type VideoInfoReply = z.infer<typeof videoInfoReply>;

/** The stored thumbnail of a caller's video; `ifNoneMatch` lets an unchanged one answer without its bytes. */
export const videoThumbnailRequest = videoActionRequest.extend({ ifNoneMatch: z.string().max(1000).optional() });
export type VideoThumbnailRequest = z.infer<typeof videoThumbnailRequest>;
export const videoThumbnailReply = z.object({
  etag: z.string(),
  contentType: z.string(),
  notModified: z.boolean(),
  // base64; absent when notModified
  data: z.string().optional(),
});
export type VideoThumbnailReply = z.infer<typeof videoThumbnailReply>;

/** A playlist expanded into one video per new entry, each charged like a single submission. */
export const submitPlaylistRequest = z.object({
  userId: uuid,
  url: z.string().min(1).max(2048),
  subject: submitVideoRequest.shape.subject,
  language: submitVideoRequest.shape.language,
  assessment: submitVideoRequest.shape.assessment,
  // the first `limit` videos of the playlist (at most PLAYLIST_MAX_VIDEOS)
  limit: z.number().int().min(1).max(10_000).optional(),
  // submit as many as the credits cover, in playlist order, instead of refusing them all (402)
  partial: z.boolean().optional(),
});
export type SubmitPlaylistRequest = z.infer<typeof submitPlaylistRequest>;
export const submitPlaylistReply = z.object({
  playlistId: uuid,
  youtubePlaylistId: z.string(),
  title: z.string().nullable(),
  // videos newly submitted (each reserved one credit), already the caller's, and left out for want of credits
  submitted: z.number().int().nonnegative(),
  existing: z.number().int().nonnegative(),
  notSubmitted: z.number().int().nonnegative(),
  // the playlist had more videos than were read
  truncated: z.boolean(),
});
export type SubmitPlaylistReply = z.infer<typeof submitPlaylistReply>;

export const getPlaylistRequest = z.object({ userId: uuid, playlistId: resourceId });
export type GetPlaylistRequest = z.infer<typeof getPlaylistRequest>;
export const playlistView = z.object({
  playlistId: uuid,
  youtubePlaylistId: z.string(),
  title: z.string().nullable(),
  createdAt: z.string(),
  items: z.array(
    z.object({
      position: z.number().int(),
      videoId: uuid,
      youtubeVideoId: z.string(),
      title: z.string().nullable(),
      // `deleted` once the user deleted that video
      status: z.union([videoStatusSchema, z.literal('deleted')]),
    }),
  ),
  counts: z.record(z.string(), z.number().int()),
});
export type PlaylistView = z.infer<typeof playlistView>;

/** A calendar month in UTC, `YYYY-MM`. */
export const usageMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-11');

/** The caller's model spend by month (UTC), optionally from/to a month (inclusive). */
export const usageRequest = z
  .object({ userId: uuid, from: usageMonth.optional(), to: usageMonth.optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: 'from must not be after to', path: ['from'] });
export type UsageRequest = z.infer<typeof usageRequest>;

/** `videos`: how many videos had model calls in the period; estimatedCostUsd null when some usage had no price. */
export const usageFigures = usageTotalSchema.extend({ videos: z.number().int().nonnegative() });
export type UsageFigures = z.infer<typeof usageFigures>;
export const usageReply = z.object({
  // newest first; only months with usage
  months: z.array(usageFigures.extend({ month: z.string() })),
  // over the period; a video whose attempts fell in two months counts once here
  total: usageFigures,
});
export type UsageReply = z.infer<typeof usageReply>;
