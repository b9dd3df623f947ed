import { randomUUID } from 'node:crypto';
import { billingCredits } from '@study-buddy/observability';
import { BillingEvent } from '@study-buddy/contracts';
import { countCredits } from './credit-metrics';

const counted = async () =>
  Object.fromEntries((await billingCredits.get()).values.map((v) => [String(v.labels.operation), v.value]));

describe('credit metrics', () => {
  beforeEach(() => billingCredits.reset());

  it('counts the credits each appended event moves, by operation; events that move none count nothing', async () => {
    const userId = randomUUID();
    const videoId = randomUUID();
    const at = new Date().toISOString();
    const events = [
      { type: 'CreditsGranted', data: { userId, amount: 3, reason: 'signup', grantedAt: at } },
      { type: 'CreditsGranted', data: { userId, amount: 50, reason: 'purchase', grantedAt: at } },
      { type: 'CreditReserved', data: { userId, videoId, amount: 1, reservedAt: at } },
      { type: 'CreditReservationConfirmed', data: { userId, videoId, confirmedAt: at } },
      { type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: at } },
    ] as unknown as BillingEvent[];
    countCredits(events);
    expect(await counted()).toEqual({ granted: 3, purchased: 50, reserved: 1, captured: 1 });
  });
});
