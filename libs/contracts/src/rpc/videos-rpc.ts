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

export const submitVideoRequest = z.object({
  userId: uuid,
  url: z.string().min(1).max(2048),
  transcript: z
    .string()
    .trim()
    .min(1, 'transcript is empty')
    .max(MAX_TRANSCRIPT_CHARS, `transcript is longer than ${MAX_TRANSCRIPT_CHARS} characters`)
    .refine(
      (t) => Buffer.byteLength(t, 'utf8') <= MAX_TRANSCRIPT_BYTES,
      `transcript is larger than ${MAX_TRANSCRIPT_BYTES} bytes`,
    )
    .optional(),
  subject: z.string().trim().min(1).max(100).optional(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'a language code such as en or pt-BR')
    .optional(),
  /** Add assessment questions; absent: the processor's GENERATE_ASSESSMENT decides. */
  assessment: z.boolean().optional(),
});
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
});
export type VideoHistoryRequest = z.infer<typeof videoHistoryRequest>;
export const videoHistoryReply = z.object({ items: z.array(videoHistoryEntry) });
export type VideoHistoryReply = z.infer<typeof videoHistoryReply>;
