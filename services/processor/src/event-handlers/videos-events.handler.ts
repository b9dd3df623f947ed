import { HandlersFor } from '@study-buddy/messaging';
import { VideoPipeline } from '../video-pipeline';

/** The processor works on submitted videos; no other video event is delivered to it. */
export function videosEventsHandler(pipeline: VideoPipeline): HandlersFor<'processor', 'videos'> {
  return {
    VideoSubmitted: (video, context, delivery) => pipeline.process(video, context, delivery),
  };
}
