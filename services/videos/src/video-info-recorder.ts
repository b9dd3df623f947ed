import { Logger } from '@nestjs/common';
import { CheckpointStore, createCatchUpLoop, EventStore, LeaderLock } from '@study-buddy/event-store';
import { BackgroundWorker } from '@study-buddy/nest-kit';
import { MessageContext } from '@study-buddy/messaging';

export const VIDEO_INFO_CHECKPOINT = 'video-info-recorder';

/**
 * Asks YouTube for each submitted video's details and thumbnail, following this service's own
 * events from a checkpoint: one video at a time in one replica, so a burst of submissions never
 * waits on (or competes with) YouTube, and a video submitted just before a crash is still recorded
 * when the service is back. Recording is idempotent (a video records its details once). With `quiet`,
 * each video waits for a calmer moment first (see foregroundFirst).
 */
export function videoInfoRecorder(
  deps: {
    store: EventStore;
    checkpoints: CheckpointStore;
    leader: LeaderLock;
    record(videoId: string, context: MessageContext): Promise<void>;
  },
  options: { batchSize?: number; idleTimeoutMs?: number; quiet?: () => Promise<void> } = {},
): BackgroundWorker & { readonly position: bigint } {
  const { store, checkpoints, leader } = deps;
  const logger = new Logger('VideoInfoRecorder');
  let position = 0n;
  /** The leader term `position` was loaded in: another replica may have moved the checkpoint since. */
  let loadedTerm: number | undefined;

  const loop = createCatchUpLoop({
    store,
    leader,
    idleTimeoutMs: options.idleTimeoutMs ?? 1000,
    onError: (e) => logger.warn(`batch failed, retrying: ${String(e)}`),
    step: async () => {
      if (loadedTerm !== leader.term) {
        const term = leader.term;
        position = await checkpoints.load(VIDEO_INFO_CHECKPOINT);
        loadedTerm = term;
      }
      const events = await store.readAll({ after: position, maxCount: options.batchSize ?? 50 });
      for (const event of events) {
        if (!loop.running) break;
        if (event.type !== 'VideoSubmitted') continue;
        const { videoId } = event.data as { videoId: string };
        await options.quiet?.(); // a burst of submissions is answered first
        await deps.record(videoId, { ...(event.metadata as MessageContext), causationId: event.id });
      }
      if (events.length > 0) {
        const reached = events[events.length - 1].position;
        await checkpoints.save(VIDEO_INFO_CHECKPOINT, reached);
        position = reached;
      }
      return { read: events.length, position };
    },
  });

  return {
    name: 'video info recorder',
    start: () => loop.start(),
    stop: () => loop.stop(),
    get running() {
      return loop.running;
    },
    get position() {
      return position;
    },
  };
}
