import { Logger } from '@nestjs/common';
import { CheckpointStore, createCatchUpLoop, EventStore, LeaderLock, leaderCheckpoint } from '@study-buddy/event-store';
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
  const checkpoint = leaderCheckpoint(checkpoints, VIDEO_INFO_CHECKPOINT, leader);

  const loop = createCatchUpLoop({
    store,
    leader,
    idleTimeoutMs: options.idleTimeoutMs ?? 1000,
    onStop: () => checkpoint.flush(),
    onError: (e) => logger.warn(`batch failed, retrying: ${String(e)}`),
    step: async () => {
      const after = await checkpoint.load();
      const events = await store.readAll({ after, maxCount: options.batchSize ?? 50 });
      let reached = after;
      let recorded = false;
      for (const event of events) {
        if (!loop.running) break; // stopping: what is left is recorded after the restart
        reached = event.position;
        if (event.type !== 'VideoSubmitted') continue;
        const { videoId } = event.data as { videoId: string };
        await options.quiet?.(); // a burst of submissions is answered first
        await deps.record(videoId, { ...(event.metadata as MessageContext), causationId: event.id });
        recorded = true;
      }
      // a batch without a submission (the service's other events) is saved lazily
      await checkpoint.reach(reached, recorded);
      return { read: events.length, position: checkpoint.position };
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
      return checkpoint.position;
    },
  };
}
