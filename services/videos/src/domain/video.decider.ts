import {
  AppError,
  assertNever,
  attemptOf,
  Decider,
  PROGRESS_STEPS,
  ProgressStep,
  VideosEvent,
  VideoStatus,
  UsageTotal,
} from '@study-buddy/contracts';
import { StoredThumbnail, VideoInfo } from './video-info';

/**
 * One submitted video's lifecycle (stream `video-<id>`). Pure: time comes in with the command.
 *
 * Every attempt (the first submission, then one per retry) has a number; reports from the pipeline name
 * the attempt they belong to and are dropped once the video has moved past it. The stream is the one
 * place where racing outcomes meet, so whichever lands first wins:
 * - cancel vs completion: a completion after the cancel is a no-op (the video stays cancelled, its credit
 *   released, and notes withdraws the note); a cancel after the completion is refused with 409.
 * - cancel vs failure: the same — the later one is a no-op or 409.
 * - two retries of the same attempt: the first resubmits, the second sees the new attempt and changes nothing.
 */

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
  | {
      type: 'RecordProgress';
      videoId: string;
      attempt: number;
      step: ProgressStep;
      progress: number;
      message: string;
      now: string;
    }
  | {
      type: 'CompleteVideo';
      videoId: string;
      attempt: number;
      noteId: string;
      title: string;
      subject: string;
      now: string;
    }
  | {
      type: 'FailVideo';
      videoId: string;
      attempt: number;
      error: string;
      failedStep: ProgressStep;
      retryable: boolean;
      now: string;
    }
  | { type: 'RecordUsage'; videoId: string; attempt: number; usage: UsageTotal; now: string }
  | { type: 'CancelVideo'; videoId: string; userId: string; now: string }
  // `fromAttempt`: the attempt the caller saw ended; a retry that finds a newer one was beaten to it
  | { type: 'RetryVideo'; videoId: string; userId: string; fromAttempt: number; transcriptKey?: string; now: string }
  | { type: 'DeleteVideo'; videoId: string; userId: string; now: string }
  // its note deleted by the owner: the video no longer points at it
  | { type: 'DetachNote'; videoId: string; noteId: string; now: string }
  | { type: 'RecordVideoInfo'; videoId: string; info: VideoInfo; thumbnail: StoredThumbnail | null; now: string };

/** What a retry submits again. */
interface Submission {
  youtubeVideoId: string;
  url: string;
  subject?: string;
  language?: string;
  transcriptKey?: string;
}

export interface VideoState {
  status: VideoStatus | 'none';
  userId: string | null;
  progress: number;
  attempt: number;
  retryable: boolean;
  submission: Submission | null;
  /** Every transcript uploaded for the video, deleted with it. */
  transcriptKeys: string[];
  infoRecorded: boolean;
  /** Deleted with the video. */
  thumbnailKey: string | null;
  /** The attempts whose usage is recorded: each attempt's spend counts once, however often it is reported. */
  usageAttempts: number[];
  /** The filed note, while there is one. */
  noteId: string | null;
}

export const videoStream = (videoId: string) => `video-${videoId}`;
const TERMINAL = new Set<VideoState['status']>(['completed', 'failed', 'cancelled', 'deleted']);
const ACTIVE = new Set<VideoState['status']>(['submitted', 'queued', 'processing']);

export function initialState(): VideoState {
  return {
    status: 'none',
    userId: null,
    progress: 0,
    attempt: 0,
    retryable: false,
    submission: null,
    transcriptKeys: [],
    infoRecorded: false,
    thumbnailKey: null,
    usageAttempts: [],
    noteId: null,
  };
}

/** A report from the pipeline counts only for the current attempt of a video still in progress. */
const isCurrent = (state: VideoState, attempt: number) =>
  state.status !== 'none' && !TERMINAL.has(state.status) && attempt === state.attempt;

/** A deleted video, or another user's, does not exist for the caller. */
function ownedBy(state: VideoState, userId: string): void {
  if (state.status === 'none' || state.status === 'deleted' || state.userId !== userId)
    throw new AppError('not_found', 'Video not found');
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
      if (!isCurrent(state, command.attempt) || command.progress <= state.progress) return [];
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
      if (!isCurrent(state, command.attempt)) return [];
      return [
        {
          type: 'VideoCompleted',
          data: {
            videoId: command.videoId,
            userId: state.userId!,
            noteId: command.noteId,
            title: command.title,
            subject: command.subject,
            attempt: state.attempt,
            completedAt: command.now,
          },
        },
      ];
    case 'RecordUsage':
      // Spent money is spent: the cost stands whatever the outcome, also when it arrives after the note completed
      // the video, after a retry started the next attempt, or after the video was deleted (the monthly spend keeps it).
      // The job reports an attempt's total once, when it ends (completed or failed, every run of it); a second report
      // of that attempt (a replayed event) adds nothing.
      if (state.status === 'none' || command.attempt > state.attempt || state.usageAttempts.includes(command.attempt))
        return [];
      return [
        {
          type: 'VideoUsageRecorded',
          data: { videoId: command.videoId, attempt: command.attempt, usage: command.usage, at: command.now },
        },
      ];
    case 'FailVideo':
      if (!isCurrent(state, command.attempt)) return [];
      return [
        {
          type: 'VideoFailed',
          data: {
            videoId: command.videoId,
            userId: state.userId!,
            error: command.error,
            failedStep: command.failedStep,
            retryable: command.retryable,
            attempt: state.attempt,
            failedAt: command.now,
          },
        },
      ];
    case 'CancelVideo':
      ownedBy(state, command.userId);
      if (state.status === 'cancelled') return []; // cancelled twice: once
      if (!ACTIVE.has(state.status))
        throw new AppError(
          'conflict',
          `The video is already ${state.status}: only a queued or processing one can be cancelled`,
          {
            status: state.status,
          },
        );
      return [cancelled(command.videoId, state, command.now)];
    case 'RetryVideo': {
      ownedBy(state, command.userId);
      if (state.attempt > command.fromAttempt) return []; // another retry of the same attempt got there first
      const retryable = state.status === 'cancelled' || (state.status === 'failed' && state.retryable);
      if (!retryable)
        throw new AppError(
          'conflict',
          state.status === 'failed'
            ? 'The video failed for a reason a retry cannot fix'
            : `The video is ${state.status}: only a failed (retryable) or cancelled one can be retried`,
          { status: state.status },
        );
      return [
        {
          type: 'VideoSubmitted',
          data: {
            videoId: command.videoId,
            userId: state.userId!,
            ...state.submission!,
            transcriptKey: command.transcriptKey ?? state.submission!.transcriptKey,
            attempt: state.attempt + 1,
            submittedAt: command.now,
          },
        },
      ];
    }
    case 'DetachNote':
      if (state.noteId !== command.noteId || state.status === 'deleted' || !state.userId) return [];
      return [
        {
          type: 'VideoNoteDeleted',
          data: { videoId: command.videoId, userId: state.userId, noteId: command.noteId, deletedAt: command.now },
        },
      ];
    case 'DeleteVideo': {
      ownedBy(state, command.userId);
      // Deleting a video in progress cancels it first, so its credit goes back and the processor stops.
      const events: VideosEvent[] = ACTIVE.has(state.status) ? [cancelled(command.videoId, state, command.now)] : [];
      events.push({
        type: 'VideoDeleted',
        data: { videoId: command.videoId, userId: state.userId!, attempt: state.attempt, deletedAt: command.now },
      });
      return events;
    }
    case 'RecordVideoInfo': {
      // Read once per video; never for one that is gone (its thumbnail would outlive it).
      if (state.status === 'none' || state.status === 'deleted' || state.infoRecorded) return [];
      const { info } = command;
      return [
        {
          type: 'VideoInfoRecorded',
          data: {
            videoId: command.videoId,
            userId: state.userId!,
            title: info.title,
            channel: info.channel,
            channelId: info.channelId,
            durationSeconds: info.durationSeconds,
            publishDate: info.publishDate,
            thumbnail: command.thumbnail,
            recordedAt: command.now,
          },
        },
      ];
    }
    default:
      return assertNever(command, 'video command');
  }
}

const cancelled = (videoId: string, state: VideoState, now: string): VideosEvent => ({
  type: 'VideoCancelled',
  data: { videoId, userId: state.userId!, attempt: state.attempt, cancelledAt: now },
});

export function evolve(state: VideoState, event: VideosEvent): VideoState {
  switch (event.type) {
    case 'VideoSubmitted': {
      const { videoId: _v, userId, submittedAt: _s, attempt: _a, ...submission } = event.data;
      const key = submission.transcriptKey;
      return {
        ...state,
        status: 'queued',
        userId,
        progress: 0,
        attempt: attemptOf(event.data),
        retryable: false,
        submission,
        transcriptKeys:
          key && !state.transcriptKeys.includes(key) ? [...state.transcriptKeys, key] : state.transcriptKeys,
      };
    }
    case 'VideoProgressed':
      return { ...state, status: 'processing', progress: event.data.progress };
    case 'VideoCompleted':
      return { ...state, status: 'completed', progress: 100, noteId: event.data.noteId };
    case 'VideoNoteDeleted':
      return { ...state, noteId: null };
    case 'VideoUsageRecorded':
      return { ...state, usageAttempts: [...state.usageAttempts, event.data.attempt ?? 1] };
    case 'VideoFailed':
      return { ...state, status: 'failed', retryable: event.data.retryable };
    case 'VideoCancelled':
      return { ...state, status: 'cancelled' };
    case 'VideoDeleted':
      return { ...state, status: 'deleted' };
    case 'VideoInfoRecorded':
      return { ...state, infoRecorded: true, thumbnailKey: event.data.thumbnail?.key ?? null };
    default:
      return assertNever(event, 'videos event');
  }
}

export const videoDecider: Decider<VideoCommand, VideosEvent, VideoState> = { decide, evolve, initialState };
