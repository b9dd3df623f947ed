import { HandlersFor } from '@study-buddy/messaging';
import { LedgerService } from '../ledger.service';

const now = () => new Date().toISOString();

/**
 * The video events billing reacts to. Each command's event ids derive from the
 * incoming event id, so a redelivery cannot move credits twice.
 */
export function videosEventsHandler(ledger: LedgerService): HandlersFor<'billing', 'videos'> {
  return {
    VideoSubmitted: async ({ userId, videoId, attempt }, context, { eventId }) =>
      void (await ledger.execute(
        { type: 'ConfirmReservation', userId, videoId, attempt, now: now() },
        context,
        eventId,
      )),
    VideoCompleted: async ({ userId, videoId, attempt }, context, { eventId }) =>
      void (await ledger.execute({ type: 'CaptureCredit', userId, videoId, attempt, now: now() }, context, eventId)),
    VideoFailed: async ({ userId, videoId, attempt, error }, context, { eventId }) =>
      void (await ledger.execute(
        {
          type: 'ReleaseCredit',
          userId,
          videoId,
          attempt,
          cause: 'processing_failed',
          reason: `processing failed: ${error}`.slice(0, 200),
          now: now(),
        },
        context,
        eventId,
      )),
    // Whichever of cancel and failure arrives second finds the hold already released: one refund.
    VideoCancelled: async ({ userId, videoId, attempt }, context, { eventId }) =>
      void (await ledger.execute(
        {
          type: 'ReleaseCredit',
          userId,
          videoId,
          attempt,
          cause: 'cancelled',
          reason: 'the video was cancelled',
          now: now(),
        },
        context,
        eventId,
      )),
  };
}
