import { Logger } from '@nestjs/common';
import { BlobStore } from '@study-buddy/blob-store';
import { EventStore, LeaderLock, loadState } from '@study-buddy/event-store';
import { BackgroundWorker } from '@study-buddy/nest-kit';
import { TRANSCRIPTS_PREFIX, videoIdOfTranscriptKey } from './domain/transcript-key';
import { videoDecider, videoStream } from './domain/video.decider';

/** The transcript keys the video's submissions (every attempt) recorded; none when nothing was recorded. */
export async function recordedTranscriptKeys(store: EventStore, videoId: string): Promise<string[]> {
  return (await loadState(store, videoStream(videoId), videoDecider)).state.transcriptKeys;
}

export interface TranscriptSweepOptions {
  /** Objects younger than this are left alone: their submission may still be recording (reserve, upload, append). */
  graceMs: number;
  intervalMs: number;
  now?: () => Date;
}

/**
 * Removes transcript objects no recorded submission references, once older than the grace period: a
 * submission refused or failed after its upload, in a process that died before it could clean up. The event
 * store decides (not the read model, which may lag or be rebuilding); one replica sweeps at a time.
 */
export function transcriptSweeper(
  deps: { blobs: BlobStore; store: EventStore; leader: LeaderLock },
  options: TranscriptSweepOptions,
): BackgroundWorker & { sweep(): Promise<{ removed: string[] }> } {
  const { blobs, store, leader } = deps;
  const now = options.now ?? (() => new Date());
  const logger = new Logger('TranscriptSweeper');
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  let running = false;
  let stopping = false;

  async function sweep(): Promise<{ removed: string[] }> {
    const removed: string[] = [];
    const cutoff = now().getTime() - options.graceMs;
    for await (const { key, lastModified } of blobs.list(TRANSCRIPTS_PREFIX)) {
      if (stopping) break; // the next sweep (in whichever replica) carries on; shutdown does not wait for a long listing
      if (lastModified.getTime() > cutoff) continue;
      const videoId = videoIdOfTranscriptKey(key);
      if (!videoId) continue; // not a key this service writes
      if ((await recordedTranscriptKeys(store, videoId)).includes(key)) continue;
      await blobs.delete(key);
      removed.push(key);
    }
    if (removed.length) logger.log(`removed ${removed.length} transcript(s) no video references`);
    return { removed };
  }

  const tick = async () => {
    if (await leader.acquire()) await sweep();
  };

  return {
    name: 'transcript sweeper',
    sweep,
    start() {
      running = true;
      stopping = false;
      timer = setInterval(() => {
        sweeping = sweeping.then(tick).catch((e: unknown) => logger.warn(`sweep failed, will retry: ${String(e)}`));
      }, options.intervalMs);
    },
    async stop() {
      running = false;
      stopping = true;
      clearInterval(timer);
      await sweeping;
      await leader.release();
    },
    get running() {
      return running;
    },
  };
}
