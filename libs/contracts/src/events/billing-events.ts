import { z } from 'zod';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';

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
    z.object({ userId: uuid, videoId: uuid, amount: z.literal(1), reservedAt: isoDate }),
  ),
  /** The video a credit was reserved for was accepted: the reservation is no longer at risk of being orphaned. */
  CreditReservationConfirmed: defineEvent(
    'CreditReservationConfirmed',
    1,
    z.object({ userId: uuid, videoId: uuid, confirmedAt: isoDate }),
  ),
  CreditCaptured: defineEvent(
    'CreditCaptured',
    1,
    z.object({ userId: uuid, videoId: uuid, amount: z.literal(1), capturedAt: isoDate }),
  ),
  CreditReleased: defineEvent(
    'CreditReleased',
    1,
    z.object({ userId: uuid, videoId: uuid, amount: z.literal(1), reason: z.string().max(200), releasedAt: isoDate }),
  ),
} as const;
export type BillingEvent = EventsOf<typeof BillingEvents>;
