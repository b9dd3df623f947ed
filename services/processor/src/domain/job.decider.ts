import {
  assertNever,
  Decider,
  EventOf,
  ModelCallUsage,
  NoteMetadata,
  ProcessorEvent,
  ProcessorEvents,
  ProgressStep,
} from '@study-buddy/contracts';
import { addCalls, PriceTable, priceUsage, UsageByModel } from './usage-cost';

/**
 * One attempt of one video's processing job (stream `job-<videoId>`, `job-<videoId>-<n>` for the video's
 * attempt n > 1, so a retry starts a fresh job). Pure. A cancellation may arrive before the job starts, while
 * it runs or after it ended (per-type consumers keep no order): before or during, the job does nothing more;
 * after, nothing changes. Completion and cancellation meet on this stream, so one of them wins.
 * Every run's model calls add up on the stream, so the job's end reports what the whole attempt cost
 * (a run that crashed after a paid call, then its redelivery), priced with the deployment's table then.
 */

/** The transcript a job read, as TranscriptFetched records it. */
export type TranscriptChoice = Omit<EventOf<typeof ProcessorEvents.TranscriptFetched>['data'], 'videoId' | 'at'>;

export type JobCommand =
  | { type: 'StartJob'; videoId: string; userId: string; youtubeVideoId: string; videoAttempt?: number; now: string }
  | { type: 'RecordProgress'; videoId: string; step: ProgressStep; progress: number; message: string; now: string }
  | ({ type: 'RecordTranscript'; videoId: string; now: string } & TranscriptChoice)
  | {
      type: 'CompleteJob';
      videoId: string;
      noteId: string;
      youtubeVideoId: string;
      videoUrl: string;
      contentKey: string;
      note: NoteMetadata;
      prices: PriceTable;
      now: string;
    }
  | { type: 'RecordModelCalls'; videoId: string; calls: ModelCallUsage[]; now: string }
  | {
      type: 'FailJob';
      videoId: string;
      error: string;
      failedStep: ProgressStep;
      retryable: boolean;
      prices: PriceTable;
      now: string;
    }
  | { type: 'CancelJob'; videoId: string; videoAttempt?: number; now: string }
  /** Once a cancelled job has stopped: what it spent, for videos (the cancellation itself carries none). */
  | { type: 'SettleSpend'; videoId: string; prices: PriceTable; now: string };

export interface JobState {
  status: 'none' | 'running' | 'completed' | 'failed' | 'cancelled';
  userId: string | null;
  attempts: number;
  progress: number;
  /** The video's attempt this job is for (1 unless it is a retry). */
  videoAttempt: number;
  /** Whether this attempt has recorded its transcript. */
  transcriptRecorded: boolean;
  /** Every run's model calls so far, per model (a new run keeps them: the money was spent). */
  usage: UsageByModel;
  /** A cancelled job has reported what it spent. */
  spendSettled: boolean;
}

export const jobStream = (videoId: string, videoAttempt = 1) =>
  videoAttempt > 1 ? `job-${videoId}-${videoAttempt}` : `job-${videoId}`;

/** Absent for a video's first attempt, so first jobs keep the event shape they always had. */
const attemptField = (videoAttempt: number) => (videoAttempt > 1 ? { videoAttempt } : {});

export function initialState(): JobState {
  return {
    status: 'none',
    userId: null,
    attempts: 0,
    progress: 0,
    videoAttempt: 1,
    transcriptRecorded: false,
    usage: {},
    spendSettled: false,
  };
}

/** The attempt's calls priced, for the event that ends it; absent without calls (the offline writer). */
const usageField = (state: JobState, prices: PriceTable) =>
  Object.keys(state.usage).length > 0 ? { usage: priceUsage(state.usage, prices) } : {};

export function decide(command: JobCommand, state: JobState): ProcessorEvent[] {
  const finished = state.status === 'completed' || state.status === 'failed' || state.status === 'cancelled';
  switch (command.type) {
    case 'StartJob':
      // A running job seen again means the worker that had it died: start another attempt.
      if (finished) return [];
      return [
        {
          type: 'JobStarted',
          data: {
            videoId: command.videoId,
            userId: command.userId,
            youtubeVideoId: command.youtubeVideoId,
            attempt: state.attempts + 1,
            ...attemptField(command.videoAttempt ?? 1),
            startedAt: command.now,
          },
        },
      ];
    case 'RecordProgress':
      if (state.status !== 'running' || command.progress <= state.progress) return [];
      return [
        {
          type: 'JobProgressed',
          data: {
            videoId: command.videoId,
            step: command.step,
            progress: command.progress,
            message: command.message,
            ...attemptField(state.videoAttempt),
            at: command.now,
          },
        },
      ];
    case 'RecordTranscript': {
      if (state.status !== 'running' || state.transcriptRecorded) return [];
      const { type: _type, now, ...choice } = command;
      return [{ type: 'TranscriptFetched', data: { ...choice, at: now } }];
    }
    case 'RecordModelCalls':
      // Calls made are paid for even if the job was cancelled meanwhile: record them whenever it ran.
      if (state.status === 'none' || command.calls.length === 0) return [];
      return [
        { type: 'ModelCallsRecorded', data: { videoId: command.videoId, calls: command.calls, at: command.now } },
      ];
    case 'CompleteJob': {
      if (state.status !== 'running') return [];
      const { type: _type, now, prices, ...rest } = command;
      return [
        {
          type: 'JobCompleted',
          data: {
            ...rest,
            userId: state.userId!,
            ...usageField(state, prices),
            ...attemptField(state.videoAttempt),
            completedAt: now,
          },
        },
      ];
    }
    case 'FailJob':
      if (state.status !== 'running') return [];
      return [
        {
          type: 'JobFailed',
          data: {
            videoId: command.videoId,
            userId: state.userId!,
            error: command.error,
            failedStep: command.failedStep,
            retryable: command.retryable,
            ...usageField(state, command.prices),
            ...attemptField(state.videoAttempt),
            failedAt: command.now,
          },
        },
      ];
    case 'CancelJob':
      if (finished) return []; // it ended first (or was cancelled already): nothing to stop
      return [
        {
          type: 'JobCancelled',
          data: { videoId: command.videoId, ...attemptField(command.videoAttempt ?? 1), cancelledAt: command.now },
        },
      ];
    case 'SettleSpend':
      // Completed and failed jobs carry their spend on the event that ends them; one cancelled before it ran spent none.
      if (state.status !== 'cancelled' || state.spendSettled || Object.keys(state.usage).length === 0) return [];
      return [
        {
          type: 'JobSpendSettled',
          data: {
            videoId: command.videoId,
            userId: state.userId!,
            usage: priceUsage(state.usage, command.prices),
            ...attemptField(state.videoAttempt),
            settledAt: command.now,
          },
        },
      ];
    default:
      return assertNever(command, 'job command');
  }
}

export function evolve(state: JobState, event: ProcessorEvent): JobState {
  switch (event.type) {
    case 'JobStarted':
      // A new attempt reports its progress from the start again.
      return {
        ...state,
        status: 'running',
        userId: event.data.userId,
        attempts: event.data.attempt,
        progress: 0,
        videoAttempt: event.data.videoAttempt ?? 1,
        transcriptRecorded: false,
      };
    case 'JobProgressed':
      return { ...state, progress: event.data.progress };
    case 'TranscriptFetched':
      return { ...state, transcriptRecorded: true };
    case 'ModelCallsRecorded':
      return { ...state, usage: addCalls(state.usage, event.data.calls) };
    case 'JobCompleted':
      return { ...state, status: 'completed', progress: 100 };
    case 'JobFailed':
      return { ...state, status: 'failed' };
    case 'JobCancelled':
      return { ...state, status: 'cancelled' };
    case 'JobSpendSettled':
      return { ...state, spendSettled: true };
    default:
      return assertNever(event, 'job event');
  }
}

export const jobDecider: Decider<JobCommand, ProcessorEvent, JobState> = { decide, evolve, initialState };
