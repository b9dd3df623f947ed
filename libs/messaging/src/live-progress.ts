import { JSONCodec, NatsConnection } from 'nats';
import { LiveProgressUpdate, progressSubject } from '@study-buddy/contracts';
import { contextHeaders, MessageContext } from './headers';

/** Announces a video's progress as it happens; best effort, the durable record is the event store. */
export interface LiveProgress {
  publish(update: LiveProgressUpdate, context?: MessageContext): void;
}

const codec = JSONCodec<LiveProgressUpdate>();

/** Core NATS on `progress.<videoId>`: no stream, no ack; a disconnected bus only loses the live update. */
export function createNatsLiveProgress(nc: NatsConnection, namespace: string): LiveProgress {
  return {
    publish(update, context = {}) {
      try {
        nc.publish(progressSubject(namespace, update.video_id), codec.encode(update), {
          headers: contextHeaders(context),
        });
      } catch {
        /* closed or draining: the update is lost, the job is not */
      }
    },
  };
}
