import { z } from 'zod';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';

/**
 * Why a held credit went back: `orphaned` = reserved for a video that was never recorded; `cancelled` = the
 * user cancelled the video. Adding a value keeps v2: every stored event still validates, and v1 events (written
 * before cancel existed) upcast to one of the first two. Only `orphaned` is ever charged again.
 */
export const creditReleaseCause = z.enum(['processing_failed', 'orphaned', 'cancelled']);
export type CreditReleaseCause = z.infer<typeof creditReleaseCause>;

/**
 * Which submission of a video a hold is for (absent = 1): a retry reserves again under its own attempt, so
 * each attempt is reserved, captured or released exactly once.
 */
const attempt = z.number().int().positive().optional();

/** Stream `account-<userId>`, owned by billing: the credit ledger. */
export const BillingEvents = {
  AccountOpened: defineEvent('AccountOpened', 1, z.object({ userId: uuid, openedAt: isoDate })),
  CreditsGranted: defineEvent(
    'CreditsGranted',
    1,
    z.object({
      userId: uuid,
      amount: z.number().int().positive(),
      reason: z.enum(['signup', 'purchase', 'admin']),
      grantedAt: isoDate,
    }),
  ),
  CreditReserved: defineEvent(
    'CreditReserved',
    1,
    z.object({ userId: uuid, videoId: uuid, attempt, amount: z.literal(1), reservedAt: isoDate }),
  ),
  /** The video a credit was reserved for was accepted: the reservation is no longer at risk of being orphaned. */
  CreditReservationConfirmed: defineEvent(
    'CreditReservationConfirmed',
    1,
    z.object({ userId: uuid, videoId: uuid, attempt, confirmedAt: isoDate }),
  ),
  CreditCaptured: defineEvent(
    'CreditCaptured',
    1,
    z.object({ userId: uuid, videoId: uuid, attempt, amount: z.literal(1), capturedAt: isoDate }),
  ),
  /**
   * v2 adds `cause`: only a hold released because its video never arrived may be charged again when the
   * video turns up after all; one released because processing failed never is (whatever order billing's
   * per-type consumers see VideoFailed and VideoSubmitted in).
   */
  CreditReleased: defineEvent(
    'CreditReleased',
    2,
    z.object({
      userId: uuid,
      videoId: uuid,
      attempt,
      amount: z.literal(1),
      cause: creditReleaseCause,
      reason: z.string().max(200),
      releasedAt: isoDate,
    }),
  ),
} as const;
export type BillingEvent = EventsOf<typeof BillingEvents>;
