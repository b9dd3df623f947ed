import {
  historySequence,
  LiveProgressUpdate,
  PROGRESS_STEPS,
  ProgressStep,
  VideoHistoryEntry,
  VideoStatus,
  VideoView,
} from '@study-buddy/contracts';
import { toSnakeCase } from '../http/snake-case';

/** One SSE event of a video's progress: `seq` orders it within the video's history (see historySequence). */
export interface ProgressEvent {
  videoId: string;
  /** The video attempt it is of; unknown for a live update from a publisher that does not say. */
  attempt?: number;
  seq: number;
  status: VideoStatus;
  terminal: boolean;
  /** The JSON the client receives (snake_case), the same whether it came live or from the durable history. */
  data: unknown;
}

interface Shape {
  videoId: string;
  attempt?: number;
  status: VideoStatus;
  step: ProgressStep | null;
  progress: number;
  message: string | null;
  noteId: string | null;
  error: { message: string; failedStep: string; retryable: boolean } | null;
  at: string;
}

function event({ attempt, ...shape }: Shape, seq = historySequence(shape.status, shape.step)): ProgressEvent {
  return {
    videoId: shape.videoId,
    ...(attempt === undefined ? {} : { attempt }),
    seq,
    status: shape.status,
    terminal: shape.status === 'completed' || shape.status === 'failed' || shape.status === 'cancelled',
    data: toSnakeCase(shape),
  };
}

export function fromHistory(entry: VideoHistoryEntry): ProgressEvent {
  const { seq, ...shape } = entry;
  return event(shape, seq);
}

/** The video's current state, as a stream that starts now (not a replay) reports it first. */
export function fromView(view: VideoView): ProgressEvent {
  return event({
    videoId: view.videoId,
    attempt: view.attempt,
    status: view.status,
    step: view.step,
    progress: view.progress,
    message: view.statusMessage,
    noteId: view.noteId,
    error: view.error,
    at: view.updatedAt,
  });
}

/**
 * A live update. The processor's own `completed` (job done, note not yet filed) is not the video's
 * end and is skipped; videos announces the real one, with the note id, a moment later.
 */
export function fromLive(update: LiveProgressUpdate, at = new Date().toISOString()): ProgressEvent | null {
  const base = { videoId: update.video_id, attempt: update.attempt, step: update.step, progress: update.progress, at };
  if (update.status === 'failed') {
    return event({
      ...base,
      status: 'failed',
      progress: PROGRESS_STEPS[update.step],
      message: update.error,
      noteId: null,
      error: { message: update.error, failedStep: update.step, retryable: update.retryable },
    });
  }
  if (update.status === 'completed' && !update.note_id) return null;
  return event({
    ...base,
    status: update.status,
    message: update.message,
    noteId: update.note_id ?? null,
    error: null,
  });
}
