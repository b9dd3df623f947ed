import { VideosEvents } from '@study-buddy/contracts';
import { IntegrationEventHandler } from '@study-buddy/messaging';
import { z } from 'zod';
import { VideoPipeline } from '../video-pipeline';

/** The processor works on submitted videos; other video events are not its business. */
export function videosEventsHandler(pipeline: VideoPipeline): IntegrationEventHandler {
  return async (event, context, delivery) => {
    if (event.type !== VideosEvents.VideoSubmitted.type) return;
    await pipeline.process(event.data as z.infer<typeof VideosEvents.VideoSubmitted.schema>, context, delivery);
  };
}
