import { IntegrationEvent, ProcessorIntegrationEvents } from '@study-buddy/contracts';
import { IntegrationEventHandler, MessageContext } from '@study-buddy/messaging';
import { z } from 'zod';
import { VideosService } from '../videos.service';

type ProcessorData<K extends keyof typeof ProcessorIntegrationEvents> = z.infer<
  (typeof ProcessorIntegrationEvents)[K]['schema']
>;
const now = () => new Date().toISOString();

/** The pipeline's progress and failures move the video's status. */
export function processorEventsHandler(videos: VideosService): IntegrationEventHandler {
  return async (event: IntegrationEvent, context: MessageContext) => {
    switch (event.type) {
      case 'JobProgressed': {
        const d = event.data as ProcessorData<'JobProgressed'>;
        await videos.execute(
          {
            type: 'RecordProgress',
            videoId: d.videoId,
            step: d.step,
            progress: d.progress,
            message: d.message,
            now: d.at,
          },
          context,
          event.id,
        );
        return;
      }
      case 'JobFailed': {
        const d = event.data as ProcessorData<'JobFailed'>;
        await videos.execute(
          {
            type: 'FailVideo',
            videoId: d.videoId,
            error: d.error,
            failedStep: d.failedStep,
            retryable: d.retryable,
            now: now(),
          },
          context,
          event.id,
        );
        return;
      }
      default:
        return;
    }
  };
}
