import { Logger } from '@nestjs/common';
import { BlobStore } from '@study-buddy/blob-store';
import { PartStore } from './domain/study-note';

const logger = new Logger('JobParts');

/** Where a job's finished parts live: one prefix per video attempt, so a retried video starts afresh. */
export const jobPartsPrefix = (videoId: string, videoAttempt: number) => `jobs/${videoId}/${videoAttempt}/parts/`;

/**
 * The finished parts of a long lecture's note in object storage, keyed by job
 * (video and attempt), part number and the hash of the part's text: a
 * redelivered or restarted job reads them back instead of paying for them
 * again. `clear` removes them once the job has ended (completed, failed for
 * good, cancelled); a job that is only handed back keeps them for the next
 * delivery.
 */
export function jobParts(
  blobs: BlobStore,
  videoId: string,
  videoAttempt: number,
): PartStore & { clear(): Promise<void> } {
  const prefix = jobPartsPrefix(videoId, videoAttempt);
  const key = (index: number, hash: string) => `${prefix}${index}-${hash}.json`;
  return {
    async get(index, hash) {
      const text = await blobs.getText(key(index, hash));
      if (text === null) return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return null; // unreadable: written again
      }
    },
    put: (index, hash, value) => blobs.put(key(index, hash), JSON.stringify(value), 'application/json'),
    async clear() {
      try {
        const keys: string[] = [];
        for await (const entry of blobs.list(prefix)) keys.push(entry.key);
        for (const k of keys) await blobs.delete(k);
      } catch (e) {
        // leftovers cost a little storage, never a wrong note: the prefix is this attempt's alone
        logger.warn(`the finished parts under ${prefix} were not all removed: ${(e as Error).message}`);
      }
    },
  };
}
