import { HandlersFor } from '@study-buddy/messaging';
import { VideosService } from '../videos.service';

const now = () => new Date().toISOString();

/** The pipeline's progress and failures move the video's status (only its current attempt's); both ends carry the spend. */
export function processorEventsHandler(videos: VideosService): HandlersFor<'videos', 'processor'> {
  return {
    JobProgressed: async (d, context, { eventId }) =>
      void (await videos.execute(
        {
          type: 'RecordProgress',
          videoId: d.videoId,
          attempt: d.videoAttempt ?? 1,
          step: d.step,
          progress: d.progress,
          message: d.message,
          now: d.at,
        },
        context,
        eventId,
      )),
    // The note itself reaches videos through notes (NoteCreated); from the job only what it cost.
    JobCompleted: async (d, context, { eventId }) => {
      if (!d.usage) return;
      await videos.execute(
        { type: 'RecordUsage', videoId: d.videoId, attempt: d.videoAttempt ?? 1, usage: d.usage, now: d.completedAt },
        context,
        eventId,
      );
    },
    // A failed attempt's calls were paid for all the same: the failure carries them too.
    JobFailed: async (d, context, { eventId }) => {
      await videos.execute(
        {
          type: 'FailVideo',
          videoId: d.videoId,
          attempt: d.videoAttempt ?? 1,
          error: d.error,
          failedStep: d.failedStep,
          retryable: d.retryable,
          now: now(),
        },
        context,
        eventId,
      );
      if (!d.usage) return;
      // Its own key: event ids derive from the key, and the failure's already took this event's.
      await videos.execute(
        { type: 'RecordUsage', videoId: d.videoId, attempt: d.videoAttempt ?? 1, usage: d.usage, now: d.failedAt },
        context,
        `${eventId}/usage`,
      );
    },
    // A cancelled video's calls until its job stopped: the video stays cancelled, the spend counts.
    JobSpendSettled: async (d, context, { eventId }) =>
      void (await videos.execute(
        { type: 'RecordUsage', videoId: d.videoId, attempt: d.videoAttempt ?? 1, usage: d.usage, now: d.settledAt },
        context,
        eventId,
      )),
  };
}
