import { Logger } from '@nestjs/common';
import { AppError, ReconcileReply } from '@study-buddy/contracts';
import { LeaderLock } from '@study-buddy/event-store';
import { BackgroundWorker } from '@study-buddy/nest-kit';
import { CheckoutService } from './checkout.service';

/**
 * Grants paid Checkout Sessions that no webhook delivered (an outage, a misconfigured endpoint):
 * lists recent completed sessions from Stripe and completes each through the same idempotent path
 * as the webhook, so one that was already granted changes nothing. One replica at a time: the
 * lock is a PostgreSQL advisory lock, and a replica that does not get it skips the run.
 */
export class Reconciliation {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    private readonly checkouts: CheckoutService,
    private readonly lock: () => LeaderLock,
    private readonly defaultLookbackHours: number,
  ) {}

  async run(lookbackHours = this.defaultLookbackHours): Promise<ReconcileReply> {
    const provider = this.checkouts.paymentsProvider();
    if (!provider) throw new AppError('unavailable', 'Credit purchases are not configured on this server');
    const lock = this.lock();
    if (!(await lock.acquire())) return { ran: false, checked: 0, granted: [] };
    try {
      const since = Math.floor(Date.now() / 1000) - lookbackHours * 3600;
      const granted: string[] = [];
      let checked = 0;
      for await (const session of provider.completedSessionsSince(since)) {
        checked += 1;
        const result = await this.checkouts.completeWithEvents(session, 'reconciliation');
        if (result?.newEvents.some((e) => e.type === 'CheckoutPaid')) {
          granted.push(session.sessionId);
          this.logger.warn(`granted session ${session.sessionId}, which no webhook had delivered`);
        }
      }
      return { ran: true, checked, granted };
    } finally {
      await lock.release();
    }
  }
}

/** Runs reconciliation every `intervalMs` (0: never; `npm run billing:reconcile` still can). */
export function reconciliationWorker(reconciliation: Reconciliation, intervalMs: number): BackgroundWorker {
  const logger = new Logger('Reconciliation');
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let current: Promise<unknown> = Promise.resolve();
  return {
    name: 'stripe reconciliation',
    start() {
      running = true;
      if (intervalMs <= 0) return;
      timer = setInterval(() => {
        current = current
          .then(() => reconciliation.run())
          .catch((e: unknown) => logger.warn(`reconciliation failed, will retry: ${String(e)}`));
      }, intervalMs);
    },
    async stop() {
      running = false;
      clearInterval(timer);
      await current;
    },
    get running() {
      return running;
    },
  };
}
