import { Decider, EventOf, NoteMetadata, ProcessorEvent, ProcessorEvents, ProgressStep } from '@study-buddy/contracts';

/** One video's processing job (stream `job-<videoId>`). Pure. */

/** The transcript a job read, as TranscriptFetched records it. */
export type TranscriptChoice = Omit<EventOf<typeof ProcessorEvents.TranscriptFetched>['data'], 'videoId' | 'at'>;

export type JobCommand =
  | { type: 'StartJob'; videoId: string; userId: string; youtubeVideoId: string; now: string }
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
      now: string;
    }
  | { type: 'FailJob'; videoId: string; error: string; failedStep: ProgressStep; retryable: boolean; now: string };

export interface JobState {
  status: 'none' | 'running' | 'completed' | 'failed';
  userId: string | null;
  attempts: number;
  progress: number;
  /** Whether this attempt has recorded its transcript. */
  transcriptRecorded: boolean;
}

export const jobStream = (videoId: string) => `job-${videoId}`;

export function initialState(): JobState {
  return { status: 'none', userId: null, attempts: 0, progress: 0, transcriptRecorded: false };
}

export function decide(command: JobCommand, state: JobState): ProcessorEvent[] {
  const finished = state.status === 'completed' || state.status === 'failed';
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
            at: command.now,
          },
        },
      ];
    case 'RecordTranscript': {
      if (state.status !== 'running' || state.transcriptRecorded) return [];
      const { type: _type, now, ...choice } = command;
      return [{ type: 'TranscriptFetched', data: { ...choice, at: now } }];
    }
    case 'CompleteJob': {
      if (state.status !== 'running') return [];
      const { type: _type, now, ...rest } = command;
      return [{ type: 'JobCompleted', data: { ...rest, userId: state.userId!, completedAt: now } }];
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
            failedAt: command.now,
          },
        },
      ];
  }
}

export function evolve(state: JobState, event: ProcessorEvent): JobState {
  switch (event.type) {
    case 'JobStarted':
      // A new attempt reports its progress from the start again.
      return {
        status: 'running',
        userId: event.data.userId,
        attempts: event.data.attempt,
        progress: 0,
        transcriptRecorded: false,
      };
    case 'JobProgressed':
      return { ...state, progress: event.data.progress };
    case 'TranscriptFetched':
      return { ...state, transcriptRecorded: true };
    case 'JobCompleted':
      return { ...state, status: 'completed', progress: 100 };
    case 'JobFailed':
      return { ...state, status: 'failed' };
  }
}

export const jobDecider: Decider<JobCommand, ProcessorEvent, JobState> = { decide, evolve, initialState };
