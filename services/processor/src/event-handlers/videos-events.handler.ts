import { HandlersFor } from '@study-buddy/messaging';
import { EventStore } from '@study-buddy/event-store';
import { cancelJob } from '../job-cancellation';
import { VideoPipeline } from '../video-pipeline';

/** The processor works on submitted (and resubmitted) videos, and stops the ones cancelled. */
export function videosEventsHandler(pipeline: VideoPipeline, store: EventStore): HandlersFor<'processor', 'videos'> {
  return {
    VideoSubmitted: (video, context, delivery) => pipeline.process(video, context, delivery),
    VideoCancelled: async (cancelled, context, { eventId }) =>
      void (await cancelJob(store, cancelled, context, eventId)),
  };
}
