import { z } from 'zod';

/** The pipeline's steps and the progress each one reports (the seeds' JSON progress protocol). */
export const PROGRESS_STEPS = {
  starting: 10,
  fetching_transcript: 25,
  generating_notes: 60,
  generating_assessment: 75,
  writing_files: 85,
  creating_links: 88,
  completed: 100,
} as const;

export type ProgressStep = keyof typeof PROGRESS_STEPS;
export const progressStepSchema = z.enum(Object.keys(PROGRESS_STEPS) as [ProgressStep, ...ProgressStep[]]);

export const VIDEO_STATUSES = [
  'submitted',
  'queued',
  'processing',
  'completed',
  'failed',
  'cancelled',
  'deleted',
] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];
export const videoStatusSchema = z.enum(VIDEO_STATUSES);

/** A live progress update on `progress.<videoId>` (not durable; the gateway fans it out as SSE). */
export const liveProgressUpdate = z.union([
  z.object({
    video_id: z.string().uuid(),
    status: z.enum(['processing', 'completed']),
    step: progressStepSchema,
    progress: z.number().min(0).max(100),
    message: z.string(),
  }),
  z.object({
    video_id: z.string().uuid(),
    status: z.literal('failed'),
    step: progressStepSchema,
    progress: z.number().min(0).max(100),
    error: z.string(),
    retryable: z.boolean(),
  }),
]);
export type LiveProgressUpdate = z.infer<typeof liveProgressUpdate>;
