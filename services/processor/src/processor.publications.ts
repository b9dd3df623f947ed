import { ProcessorEvents } from '@study-buddy/contracts';
import { definePublications } from '@study-buddy/messaging';

/** What leaves the processor: progress, the finished note, failure (each with its usage), a cancelled job's spend. JobStarted and JobCancelled stay private. */
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
  JobSpendSettled: ({ videoId, userId, usage, videoAttempt, settledAt }) => ({
    videoId,
    userId,
    usage,
    videoAttempt,
    settledAt,
  }),
});
