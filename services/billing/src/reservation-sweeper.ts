import { Logger } from '@nestjs/common';
import { AppError, RPC, videoView } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { createLocalLeaderLock, LeaderLock } from '@study-buddy/event-store';
import { BackgroundWorker } from '@study-buddy/nest-kit';
import { LedgerService } from './ledger.service';
import { ReservationsQueries } from './read-model/reservations.queries';
import { ORPHANED_REASON } from './domain/account.upcasters';

/**
 * Releases credits held for videos that never arrived: videos reserves before
 * it records the video, so a crash in between leaves a hold with no video.
 * A hold still unconfirmed after the TTL is checked with videos; if the video
 * (or, for a retry's hold, that attempt of it) does not exist the credit goes
 * back, if it does the confirmation is healed. One replica sweeps (the holder of `lock`,
 * a PostgreSQL advisory lock in production): the others would only ask videos the same questions.
 */
export function reservationSweeper(
  deps: { reservations: ReservationsQueries; rpc: Rpc; ledger: LedgerService; lock?: LeaderLock },
  options: { ttlMs: number; intervalMs: number },
): BackgroundWorker & { sweep(): Promise<boolean> } {
  const { reservations, rpc, ledger } = deps;
  const lock = deps.lock ?? createLocalLeaderLock();
  const logger = new Logger('ReservationSweeper');
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  let running = false;

  /** False when another replica holds the lock (and sweeps). */
  async function sweep(): Promise<boolean> {
    if (!(await lock.acquire())) return false;
    for (const { videoId, userId, attempt } of await reservations.unconfirmedOlderThan(options.ttlMs)) {
      const now = new Date().toISOString();
      const release = () =>
        ledger.execute({
          type: 'ReleaseCredit',
          userId,
          videoId,
          attempt,
          cause: 'orphaned',
          reason: ORPHANED_REASON,
          now,
        });
      try {
        const video = await rpc.request(RPC.videos.get, { userId, videoId }, { reply: videoView });
        // A retry refused after its credit was held never became an attempt of the video.
        if (video.attempt < attempt) await release();
        else await ledger.execute({ type: 'ConfirmReservation', userId, videoId, attempt, now });
      } catch (e) {
        if (e instanceof AppError && e.code === 'not_found') {
          await release();
          logger.log(`released the credit held for video ${videoId}, which never arrived`);
        } else {
          logger.warn(`could not check video ${videoId}, will retry: ${String(e)}`); // videos unreachable: decide nothing
        }
      }
    }
    return true;
  }

  return {
    name: 'reservation sweeper',
    sweep,
    start() {
      running = true;
      timer = setInterval(() => {
        sweeping = sweeping
          .then(sweep)
          .then(() => undefined)
          .catch((e: unknown) => logger.error(`sweep failed: ${String(e)}`));
      }, options.intervalMs);
    },
    async stop() {
      running = false;
      clearInterval(timer);
      await sweeping;
      await lock.release();
    },
    get running() {
      return running;
    },
  };
}
