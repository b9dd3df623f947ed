import { Logger } from '@nestjs/common';
import { AppError, RPC, videoView } from '@study-buddy/contracts';
import { quoteIdent } from '@study-buddy/event-store';
import { BackgroundWorker, Platform } from '@study-buddy/nest-kit';
import { LedgerService } from './ledger.service';

/**
 * Releases credits held for videos that never arrived: videos reserves before
 * it records the video, so a crash in between leaves a hold with no video.
 * A hold still unconfirmed after the TTL is checked with videos; if the video
 * does not exist the credit goes back, if it does the confirmation is healed.
 */
export function reservationSweeper(
  platform: Platform,
  ledger: LedgerService,
  options: { ttlMs: number; intervalMs: number },
): BackgroundWorker {
  const logger = new Logger('ReservationSweeper');
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  let running = false;

  async function sweep(): Promise<void> {
    const { rows } = await platform.pool.query<{ video_id: string; user_id: string }>(
      `SELECT video_id, user_id FROM ${quoteIdent(platform.config.schema)}.reservations
       WHERE status = 'reserved' AND reserved_at < now() - make_interval(secs => $1::double precision / 1000) LIMIT 100`,
      [options.ttlMs],
    );
    for (const { video_id: videoId, user_id: userId } of rows) {
      const now = new Date().toISOString();
      try {
        await platform.rpc.request(RPC.videos.get, { userId, videoId }, { reply: videoView });
        await ledger.execute({ type: 'ConfirmReservation', userId, videoId, now });
      } catch (e) {
        if (e instanceof AppError && e.code === 'not_found') {
          await ledger.execute({ type: 'ReleaseCredit', userId, videoId, reason: 'the video was never accepted', now });
          logger.log(`released the credit held for video ${videoId}, which never arrived`);
        } else {
          logger.warn(`could not check video ${videoId}, will retry: ${String(e)}`); // videos unreachable: decide nothing
        }
      }
    }
  }

  return {
    name: 'reservation sweeper',
    start() {
      running = true;
      timer = setInterval(() => {
        sweeping = sweeping.then(sweep).catch((e: unknown) => logger.error(`sweep failed: ${String(e)}`));
      }, options.intervalMs);
    },
    async stop() {
      running = false;
      clearInterval(timer);
      await sweeping;
    },
    get running() {
      return running;
    },
  };
}
