import { z } from 'zod';
import { uuid } from '../events/define-event';
import { progressStepSchema, videoStatusSchema } from '../progress';
import { pageReply, pageRequest } from './pagination';

/** 2 MB of text: a ten-hour lecture's transcript fits with room to spare. */
export const MAX_TRANSCRIPT_CHARS = 2_000_000;

export const submitVideoRequest = z.object({
  userId: uuid,
  url: z.string().min(1).max(2048),
  transcript: z.string().min(1).max(MAX_TRANSCRIPT_CHARS).optional(),
  subject: z.string().trim().min(1).max(100).optional(),
  language: z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'a language code such as en or pt-BR').optional(),
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
