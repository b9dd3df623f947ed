import { ProcessorEvents } from '@study-buddy/contracts';
import { definePublications } from '@study-buddy/messaging';

/** What leaves the processor: progress, the finished note, failure (each with its usage). JobStarted and JobCancelled stay private. */
export const processorPublications = definePublications('processor', ProcessorEvents, {
  JobProgressed: ({ videoId, step, progress, message, videoAttempt, at }) => ({
    videoId,
    step,
    progress,
    message,
    videoAttempt,
    at,
  }),
  JobCompleted: ({
    videoId,
    userId,
    noteId,
    youtubeVideoId,
    videoUrl,
    contentKey,
    note,
    usage,
    videoAttempt,
    completedAt,
  }) => ({
    videoId,
    userId,
    noteId,
    youtubeVideoId,
    videoUrl,
    contentKey,
    note,
    usage,
    videoAttempt,
    completedAt,
  }),
  JobFailed: ({ videoId, userId, error, failedStep, retryable, usage, videoAttempt, failedAt }) => ({
    videoId,
    userId,
    error,
    failedStep,
    retryable,
    usage,
    videoAttempt,
    failedAt,
  }),
});
