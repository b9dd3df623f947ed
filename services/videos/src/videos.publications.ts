import { VideosEvents } from '@study-buddy/contracts';
import { definePublications } from '@study-buddy/messaging';

/** What leaves videos: submission, completion and failure. VideoProgressed stays private. */
export const videosPublications = definePublications('videos', VideosEvents, {
  VideoSubmitted: ({
    videoId,
    userId,
    youtubeVideoId,
    url,
    subject,
    language,
    assessment,
    transcriptKey,
    submittedAt,
  }) => ({
    videoId,
    userId,
    youtubeVideoId,
    url,
    subject,
    language,
    assessment,
    transcriptKey,
    submittedAt,
  }),
  VideoCompleted: ({ videoId, userId, noteId, completedAt }) => ({ videoId, userId, noteId, completedAt }),
  VideoFailed: ({ videoId, userId, error, failedStep, retryable, failedAt }) => ({
    videoId,
    userId,
    error,
    failedStep,
    retryable,
    failedAt,
  }),
});
