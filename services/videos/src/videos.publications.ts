import { VideosEvents } from '@study-buddy/contracts';
import { definePublications } from '@study-buddy/messaging';

/** What leaves videos: submission (and resubmission), completion, failure, cancellation, deletion. VideoProgressed stays private. */
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
    attempt,
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
    attempt,
    submittedAt,
  }),
  VideoCompleted: ({ videoId, userId, noteId, attempt, completedAt }) => ({
    videoId,
    userId,
    noteId,
    attempt,
    completedAt,
  }),
  VideoFailed: ({ videoId, userId, error, failedStep, retryable, attempt, failedAt }) => ({
    videoId,
    userId,
    error,
    failedStep,
    retryable,
    attempt,
    failedAt,
  }),
  VideoCancelled: ({ videoId, userId, attempt, cancelledAt }) => ({ videoId, userId, attempt, cancelledAt }),
  VideoDeleted: ({ videoId, userId, attempt, deletedAt }) => ({ videoId, userId, attempt, deletedAt }),
});
