import { JSONCodec, NatsConnection } from 'nats';
import { VideoChangeNotice, videoChangedSubject } from '@study-buddy/contracts';
import { Projector } from '@study-buddy/event-store';

const codec = JSONCodec<VideoChangeNotice>();

/**
 * After each batch the `videos` projection committed, one `videos.changed.<videoId>` per video it
 * touched, with the position of the last event applied to it. Core NATS, best effort: a cache that
 * misses a notice is bounded by its entries' age (and clears itself when its connection drops).
 */
export function announceVideoChanges(projector: Projector, nc: NatsConnection, namespace: string): () => void {
  return projector.onApplied((events) => {
    const latest = new Map<string, bigint>();
    for (const event of events) {
      const videoId = (event.data as { videoId?: unknown } | null)?.videoId;
      if (typeof videoId === 'string') latest.set(videoId, event.position);
    }
    for (const [videoId, position] of latest) {
      try {
        nc.publish(
          videoChangedSubject(namespace, videoId),
          codec.encode({ video_id: videoId, version: position.toString() }),
        );
      } catch {
        /* closed or draining: the gateway's caches clear themselves on the disconnect */
      }
    }
  });
}
