import { ProcessorEvents } from '@study-buddy/contracts';
import { definePublications } from '@study-buddy/messaging';

/** What leaves the processor: progress, the finished note, failure. JobStarted stays private. */
export const processorPublications = definePublications('processor', ProcessorEvents, {
  JobProgressed: ({ videoId, step, progress, message, at }) => ({ videoId, step, progress, message, at }),
  JobCompleted: ({ videoId, userId, noteId, youtubeVideoId, videoUrl, contentKey, note, completedAt }) => ({
    videoId,
    userId,
    noteId,
    youtubeVideoId,
    videoUrl,
    contentKey,
    note,
    completedAt,
  }),
  JobFailed: ({ videoId, userId, error, failedStep, retryable, failedAt }) => ({
    videoId,
    userId,
    error,
    failedStep,
    retryable,
    failedAt,
  }),
});
