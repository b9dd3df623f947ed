import { Decider, PROGRESS_STEPS, ProgressStep, VideosEvent, VideoStatus } from '@study-buddy/contracts';

/** One submitted video's lifecycle (stream `video-<id>`). Pure: time comes in with the command. */

export type VideoCommand =
  | {
      type: 'SubmitVideo';
      videoId: string;
      userId: string;
      youtubeVideoId: string;
      url: string;
      subject?: string;
      language?: string;
      assessment?: boolean;
      transcriptKey?: string;
      now: string;
    }
  | { type: 'RecordProgress'; videoId: string; step: ProgressStep; progress: number; message: string; now: string }
  | { type: 'CompleteVideo'; videoId: string; noteId: string; title: string; subject: string; now: string }
  | { type: 'FailVideo'; videoId: string; error: string; failedStep: ProgressStep; retryable: boolean; now: string };

export interface VideoState {
  status: VideoStatus | 'none';
  userId: string | null;
  progress: number;
}

export const videoStream = (videoId: string) => `video-${videoId}`;
const TERMINAL = new Set<VideoState['status']>(['completed', 'failed', 'cancelled', 'deleted']);

export function initialState(): VideoState {
  return { status: 'none', userId: null, progress: 0 };
}

export function decide(command: VideoCommand, state: VideoState): VideosEvent[] {
  switch (command.type) {
    case 'SubmitVideo': {
      if (state.status !== 'none') return []; // the same user's same video: keep the first submission
      const { type: _type, now, ...data } = command;
      return [{ type: 'VideoSubmitted', data: { ...data, submittedAt: now } }];
    }
    case 'RecordProgress':
      // Progress only moves forward and never after the end; late or repeated reports are dropped.
      if (state.status === 'none' || TERMINAL.has(state.status) || command.progress <= state.progress) return [];
      if (command.step === 'completed') return [];
      return [
        {
          type: 'VideoProgressed',
          data: {
            videoId: command.videoId,
            step: command.step,
            progress: Math.min(command.progress, PROGRESS_STEPS.creating_links),
            message: command.message,
            at: command.now,
          },
        },
      ];
    case 'CompleteVideo':
      if (state.status === 'none' || TERMINAL.has(state.status)) return [];
      return [
        {
          type: 'VideoCompleted',
          data: {
            videoId: command.videoId,
            userId: state.userId!,
            noteId: command.noteId,
            title: command.title,
            subject: command.subject,
            completedAt: command.now,
          },
        },
      ];
    case 'FailVideo':
      if (state.status === 'none' || TERMINAL.has(state.status)) return [];
      return [
        {
          type: 'VideoFailed',
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

export function evolve(state: VideoState, event: VideosEvent): VideoState {
  switch (event.type) {
    case 'VideoSubmitted':
      return { status: 'queued', userId: event.data.userId, progress: 0 };
    case 'VideoProgressed':
      return { ...state, status: 'processing', progress: event.data.progress };
    case 'VideoCompleted':
      return { ...state, status: 'completed', progress: 100 };
    case 'VideoFailed':
      return { ...state, status: 'failed' };
  }
}

export const videoDecider: Decider<VideoCommand, VideosEvent, VideoState> = { decide, evolve, initialState };
