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

/** What a user is told at each step (the processor announces them; history fills them in). */
export const PROGRESS_MESSAGES: Record<ProgressStep, string> = {
  starting: 'Starting',
  fetching_transcript: 'Reading the transcript',
  generating_notes: 'Writing study notes',
  generating_assessment: 'Writing assessment questions',
  writing_files: 'Saving the note',
  creating_links: 'Linking to your other notes',
  completed: 'Done',
};
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
    // set by videos once the note is filed (the video's real completion); the processor's own
    // `completed` (the job is done, the note not yet filed) has none
    note_id: z.string().uuid().optional(),
    // the video attempt it belongs to; absent from publishers older than retries' history
    attempt: z.number().int().positive().optional(),
  }),
  z.object({
    video_id: z.string().uuid(),
    status: z.literal('failed'),
    step: progressStepSchema,
    progress: z.number().min(0).max(100),
    error: z.string(),
    retryable: z.boolean(),
    attempt: z.number().int().positive().optional(),
  }),
]);
export type LiveProgressUpdate = z.infer<typeof liveProgressUpdate>;

/**
 * Where an update sits in a video's history: 0 queued, each step at its progress, 100 for the end
 * (completed, failed or cancelled). Steps only move forward, so this orders a video's updates, live or durable,
 * and is the SSE event id a client resumes from (`Last-Event-ID`).
 */
export const HISTORY_END = 100;

/**
 * An SSE event id: `<attempt>.<seq>`. A retry starts the history over, so the attempt tells a
 * client's `Last-Event-ID` from an earlier attempt apart from one of the attempt now running.
 */
export const progressEventId = (attempt: number, seq: number) => `${attempt}.${seq}`;

/** The point a `Last-Event-ID` names; a bare `<seq>` (ids before attempts) means the current attempt. */
export function parseProgressEventId(id: string): { attempt?: number; seq: number } | null {
  const match = /^(?:([1-9]\d{0,5})\.)?(\d{1,3})$/.exec(id);
  if (!match || Number(match[2]) > HISTORY_END) return null;
  return { ...(match[1] ? { attempt: Number(match[1]) } : {}), seq: Number(match[2]) };
}
export function historySequence(status: VideoStatus, step: ProgressStep | null): number {
  if (status === 'completed' || status === 'failed' || status === 'cancelled') return HISTORY_END;
  if (status === 'processing' && step) return PROGRESS_STEPS[step];
  return 0;
}
