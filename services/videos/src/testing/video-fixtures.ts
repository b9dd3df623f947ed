import { VideosEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { VideoCommand, videoDecider, VideoState } from '../domain/video.decider';

/** What the video decider's specs share: one video of one user, and the commands and events of its life. */
export const spec = deciderSpec<VideoCommand, VideosEvent, VideoState>(videoDecider);
export const videoId = '22222222-2222-4222-8222-222222222222';
export const userId = '11111111-1111-4111-8111-111111111111';
export const noteId = '33333333-3333-4333-8333-333333333333';
export const now = '2026-11-30T10:00:00.000Z';
export const submit: VideoCommand = {
  type: 'SubmitVideo',
  videoId,
  userId,
  youtubeVideoId: 'dQw4w9WgXcQ',
  url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  transcriptKey: 't',
  now,
};
export const submitted: VideosEvent = {
  type: 'VideoSubmitted',
  data: {
    videoId,
    userId,
    youtubeVideoId: 'dQw4w9WgXcQ',
    url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    transcriptKey: 't',
    submittedAt: now,
  },
};
export const progressed = (step: 'starting' | 'generating_notes', progress: number): VideosEvent => ({
  type: 'VideoProgressed',
  data: { videoId, step, progress, message: step, at: now },
});
export const completed: VideosEvent = {
  type: 'VideoCompleted',
  data: { videoId, userId, noteId, title: 'T', subject: 'Biology', attempt: 1, completedAt: now },
};
export const failed = (retryable: boolean, attempt = 1): VideosEvent => ({
  type: 'VideoFailed',
  data: { videoId, userId, error: 'e', failedStep: 'fetching_transcript', retryable, attempt, failedAt: now },
});
export const cancelled = (attempt = 1): VideosEvent => ({
  type: 'VideoCancelled',
  data: { videoId, userId, attempt, cancelledAt: now },
});
export const deleted = (attempt = 1): VideosEvent => ({
  type: 'VideoDeleted',
  data: { videoId, userId, attempt, deletedAt: now },
});
export const resubmitted = (attempt: number, transcriptKey = 't'): VideosEvent => ({
  type: 'VideoSubmitted',
  data: { ...(submitted.data as object), transcriptKey, attempt } as Extract<
    VideosEvent,
    { type: 'VideoSubmitted' }
  >['data'],
});
export const complete = (attempt = 1): VideoCommand => ({
  type: 'CompleteVideo',
  videoId,
  attempt,
  noteId,
  title: 'T',
  subject: 'Biology',
  now,
});
export const fail = (attempt = 1): VideoCommand => ({
  type: 'FailVideo',
  videoId,
  attempt,
  error: 'e',
  failedStep: 'fetching_transcript',
  retryable: true,
  now,
});
export const progress = (attempt = 1): VideoCommand => ({
  type: 'RecordProgress',
  videoId,
  attempt,
  step: 'starting',
  progress: 10,
  message: 'starting',
  now,
});
export const cancel: Extract<VideoCommand, { type: 'CancelVideo' }> = { type: 'CancelVideo', videoId, userId, now };
export const retry = (fromAttempt = 1, transcriptKey?: string, by = userId): VideoCommand => ({
  type: 'RetryVideo',
  videoId,
  userId: by,
  fromAttempt,
  transcriptKey,
  now,
});
export const remove: Extract<VideoCommand, { type: 'DeleteVideo' }> = { type: 'DeleteVideo', videoId, userId, now };
export const stranger = '44444444-4444-4444-8444-444444444444';
