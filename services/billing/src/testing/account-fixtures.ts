import { BillingEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { accountDecider, AccountCommand } from '../domain/account.decider';

/** What the account decider's specs share: one user, one video, an opened account. */
export const spec = deciderSpec<AccountCommand, BillingEvent, ReturnType<typeof accountDecider.initialState>>(
  accountDecider,
);
export const userId = '11111111-1111-4111-8111-111111111111';
export const videoId = '22222222-2222-4222-8222-222222222222';
export const now = '2026-11-30T10:00:00.000Z';

export const opened: BillingEvent[] = [
  { type: 'AccountOpened', data: { userId, openedAt: now } },
  { type: 'CreditsGranted', data: { userId, amount: 1, reason: 'signup', grantedAt: now } },
];
export const reserved: Extract<BillingEvent, { type: 'CreditReserved' }> = {
  type: 'CreditReserved',
  data: { userId, videoId, amount: 1, reservedAt: now },
};
/** The sweeper's release of `reserved`: its video never arrived (the one release a late video undoes). */
export const releasedAsOrphaned: BillingEvent = {
  type: 'CreditReleased',
  data: { userId, videoId, amount: 1, cause: 'orphaned', reason: 'orphaned', releasedAt: now },
};
