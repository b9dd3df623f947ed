import { z } from 'zod';
import { uuid } from '../events/define-event';
import { progressStepSchema, videoStatusSchema } from '../progress';
import { pageReply, pageRequest } from './pagination';

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

export const getVideoRequest = z.object({ userId: uuid, videoId: z.string().max(100) });
export type GetVideoRequest = z.infer<typeof getVideoRequest>;

export const listVideosRequest = pageRequest.extend({ userId: uuid, status: videoStatusSchema.optional() });
export type ListVideosRequest = z.infer<typeof listVideosRequest>;
export const listVideosReply = pageReply(videoView);
export type ListVideosReply = z.infer<typeof listVideosReply>;
