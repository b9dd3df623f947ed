import { AppError, BillingEvent } from '@study-buddy/contracts';
import { AccountCommand } from './account.decider';
import { now, opened, reserved, spec, userId, videoId } from '../testing/account-fixtures';

describe('account decider: purchases, refunds, disputes and debt', () => {
  const purchaseId = 'cs_test_1';
  const purchase = (credits = 10): AccountCommand => ({
    type: 'GrantPurchase',
    userId,
    purchaseId,
    packageId: 'basic',
    credits,
    amountPaid: 999,
    currency: 'usd',
    now,
  });
  const granted = (credits = 10, debtPaid?: number): BillingEvent => ({
    type: 'CreditsGranted',
    data: {
      userId,
      amount: credits,
      reason: 'purchase',
      grantedAt: now,
      purchaseId,
      packageId: 'basic',
      amountPaid: 999,
      currency: 'usd',
      ...(debtPaid ? { debtPaid } : {}),
    },
  });
  const clawBack = (total: number, cause: 'refund' | 'dispute' = 'refund'): AccountCommand => ({
    type: 'ClawBackPurchase',
    userId,
    purchaseId,
    cause,
    total,
    now,
  });
  const clawedBack = (amount: number, fromBalance: number, cause: 'refund' | 'dispute' = 'refund'): BillingEvent => ({
    type: 'CreditsClawedBack',
    data: { userId, purchaseId, cause, amount, fromBalance, toDebt: amount - fromBalance, clawedBackAt: now },
  });
  const spend = (n: number): BillingEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      type: 'CreditReserved',
      data: { userId, videoId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, amount: 1, reservedAt: now },
    }));

  it('grants a purchase once per Checkout Session', () => {
    spec.given(opened).when(purchase()).then([granted()]);
    spec
      .given([...opened, granted()])
      .when(purchase())
      .thenNothingHappens();
    spec.given([...opened, granted()]).thenState({ available: 11, debt: 0 });
  });

  it('claws back the refunded share from the balance, once per running total', () => {
    spec
      .given([...opened, granted()])
      .when(clawBack(5))
      .then([clawedBack(5, 5)]);
    spec
      .given([...opened, granted(), clawedBack(5, 5)])
      .when(clawBack(5))
      .thenNothingHappens();
    spec
      .given([...opened, granted(), clawedBack(5, 5)])
      .when(clawBack(10))
      .then([clawedBack(5, 5)]);
    // never more than the purchase brought
    spec
      .given([...opened, granted(), clawedBack(5, 5)])
      .when(clawBack(50))
      .then([clawedBack(5, 5)]);
  });

  it('claws back nothing for a purchase it never granted', () =>
    spec.given(opened).when(clawBack(10)).thenNothingHappens());

  it('turns clawed-back credits that were already spent into a debt, never a negative balance', () => {
    const given = [...opened, granted(), ...spend(8)];
    spec
      .given(given)
      .when(clawBack(10))
      .then([clawedBack(10, 3)]);
    spec.given([...given, clawedBack(10, 3)]).thenState({ available: 0, debt: 7 });
  });

  it('holds the credits of a disputed payment the same way', () =>
    spec
      .given([...opened, granted(), ...spend(4)])
      .when(clawBack(10, 'dispute'))
      .then([clawedBack(10, 7, 'dispute')]));

  it('gives back a won dispute’s credits, paying the debt it left first, once', () => {
    const restored = (amount: number, toBalance: number): BillingEvent => ({
      type: 'CreditsRestored',
      data: {
        userId,
        purchaseId,
        cause: 'dispute_won',
        amount,
        toBalance,
        debtPaid: amount - toBalance,
        restoredAt: now,
      },
    });
    const given = [...opened, granted(), ...spend(8), clawedBack(10, 3, 'dispute')];
    spec.given(given).thenState({ available: 0, debt: 7 });
    spec
      .given(given)
      .when(clawBack(0))
      .then([restored(10, 3)]);
    spec.given([...given, restored(10, 3)]).thenState({ available: 3, debt: 0 });
    spec
      .given([...given, restored(10, 3)])
      .when(clawBack(0))
      .thenNothingHappens();
    // a refund of part of it still stands: only the rest comes back
    spec
      .given([...opened, granted(), clawedBack(10, 10, 'dispute')])
      .when(clawBack(4))
      .then([restored(6, 6)]);
  });

  it('blocks new reservations while a debt is owed, saying why', () =>
    spec
      .given([...opened, granted(), ...spend(11), clawedBack(10, 0)])
      .when({ type: 'ReserveCredit', userId, videoId, now })
      .thenThrows(AppError, /owes 10 credit\(s\).*refunded or disputed/));

  it('lets a new purchase pay the debt first, then spend the rest', () => {
    const given = [...opened, granted(), ...spend(11), clawedBack(10, 0)];
    const second: AccountCommand = { ...purchase(25), purchaseId: 'cs_test_2' } as AccountCommand;
    spec
      .given(given)
      .when(second)
      .then([{ ...granted(25, 10), data: { ...granted(25, 10).data, purchaseId: 'cs_test_2' } } as BillingEvent]);
    const paid = [...given, { ...granted(25, 10), data: { ...granted(25, 10).data, purchaseId: 'cs_test_2' } }];
    spec.given(paid as BillingEvent[]).thenState({ available: 15, debt: 0 });
    spec
      .given(paid as BillingEvent[])
      .when({ type: 'ReserveCredit', userId, videoId, now })
      .then([reserved]);
  });

  it('records an operator grant with its reason, once per key', () => {
    const grant: AccountCommand = {
      type: 'GrantCredits',
      userId,
      amount: 5,
      grantId: 'ticket-42',
      note: 'outage',
      now,
    };
    const event: BillingEvent = {
      type: 'CreditsGranted',
      data: { userId, amount: 5, reason: 'admin', grantedAt: now, grantId: 'ticket-42', note: 'outage' },
    };
    spec.given(opened).when(grant).then([event]);
    spec
      .given([...opened, event])
      .when(grant)
      .thenNothingHappens();
    spec
      .given([])
      .when(grant)
      .thenThrows(AppError, /no credit account/);
  });
});
