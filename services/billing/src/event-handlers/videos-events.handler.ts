import { IntegrationEvent, VideosIntegrationEvents } from '@study-buddy/contracts';
import { IntegrationEventHandler, MessageContext } from '@study-buddy/messaging';
import { z } from 'zod';
import { LedgerService } from '../ledger.service';

type Data<K extends keyof typeof VideosIntegrationEvents> = z.infer<(typeof VideosIntegrationEvents)[K]['schema']>;
const now = () => new Date().toISOString();

/**
 * Integration events billing reacts to. Each command's event ids derive from the
 * incoming event id, so a redelivery cannot move credits twice.
 */
export function videosEventsHandler(ledger: LedgerService): IntegrationEventHandler {
  return async (event: IntegrationEvent, context: MessageContext) => {
    switch (event.type) {
      case 'VideoSubmitted': {
        const { userId, videoId } = event.data as Data<'VideoSubmitted'>;
        await ledger.execute({ type: 'ConfirmReservation', userId, videoId, now: now() }, context, event.id);
        return;
      }
      case 'VideoCompleted': {
        const { userId, videoId } = event.data as Data<'VideoCompleted'>;
        await ledger.execute({ type: 'CaptureCredit', userId, videoId, now: now() }, context, event.id);
        return;
      }
      case 'VideoFailed': {
        const { userId, videoId, error } = event.data as Data<'VideoFailed'>;
        await ledger.execute(
          { type: 'ReleaseCredit', userId, videoId, reason: `processing failed: ${error}`.slice(0, 200), now: now() },
          context,
          event.id,
        );
        return;
      }
      default:
        return; // other video events do not move credits
    }
  };
}
