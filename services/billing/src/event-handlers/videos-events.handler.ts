import { HandlersFor } from '@study-buddy/messaging';
import { LedgerService } from '../ledger.service';

const now = () => new Date().toISOString();

/**
 * The video events billing reacts to. Each command's event ids derive from the
 * incoming event id, so a redelivery cannot move credits twice. Not the submission:
 * a hold needs no confirming while its video is processed (one delivery, load and
 * append fewer per video); the reservation sweeper checks only holds older than its TTL.
 */
export function videosEventsHandler(ledger: LedgerService): HandlersFor<'billing', 'videos'> {
  return {
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
