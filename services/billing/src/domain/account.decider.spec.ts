import { AppError, BillingEvent } from '@study-buddy/contracts';
import { accountDecider, AccountCommand, reservedCount, SETTLED_KEPT } from './account.decider';
import { now, opened, releasedAsOrphaned, reserved, spec, userId, videoId } from '../testing/account-fixtures';

describe('account decider', () => {
  it('opens an account with signup credits', () =>
    spec.given([]).when({ type: 'OpenAccount', userId, signupCredits: 1, now }).then(opened));

  it('opens an account only once', () =>
    spec.given(opened).when({ type: 'OpenAccount', userId, signupCredits: 1, now }).thenNothingHappens());

  it('opens without a grant when signup credits are 0', () =>
    spec.given([]).when({ type: 'OpenAccount', userId, signupCredits: 0, now }).then([opened[0]]));

  it('reserves a credit for a video', () =>
    spec.given(opened).when({ type: 'ReserveCredit', userId, videoId, now }).then([reserved]));

  it('reserves once per video (idempotent)', () =>
    spec
      .given([...opened, reserved])
      .when({ type: 'ReserveCredit', userId, videoId, now })
      .thenNothingHappens());

  it('refuses a reservation without credits', () =>
    spec
      .given([...opened, { ...reserved, data: { ...reserved.data, videoId: '33333333-3333-4333-8333-333333333333' } }])
      .when({ type: 'ReserveCredit', userId, videoId, now })
      .thenThrows(AppError, /no credits left/));

  it('refuses a reservation on an account that is not open', () =>
    spec
      .given([])
      .when({ type: 'ReserveCredit', userId, videoId, now })
      .thenThrows(AppError, /being set up/));

  it('captures a reserved credit, once', () => {
    const captured: BillingEvent = { type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: now } };
    spec
      .given([...opened, reserved])
      .when({ type: 'CaptureCredit', userId, videoId, now })
      .then([captured]);
    spec
      .given([...opened, reserved, captured])
      .when({ type: 'CaptureCredit', userId, videoId, now })
      .thenNothingHappens();
  });

  it('releases a reserved credit back to the balance', () => {
    const released: BillingEvent = {
      type: 'CreditReleased',
      data: { userId, videoId, amount: 1, cause: 'processing_failed', reason: 'failed', releasedAt: now },
    };
    spec
      .given([...opened, reserved])
      .when({ type: 'ReleaseCredit', userId, videoId, cause: 'processing_failed', reason: 'failed', now })
      .then([released]);
    spec.given([...opened, reserved, released]).thenState({ available: 1 });
  });

  it('does not release a captured credit', () =>
    spec
      .given([...opened, reserved, { type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: now } }])
      .when({ type: 'ReleaseCredit', userId, videoId, cause: 'processing_failed', reason: 'late failure', now })
      .thenNothingHappens());

  it('confirms a reservation once the sweeper finds its video, once', () => {
    const confirmed: BillingEvent = { type: 'CreditReservationConfirmed', data: { userId, videoId, confirmedAt: now } };
    spec
      .given([...opened, reserved])
      .when({ type: 'ConfirmReservation', userId, videoId, now })
      .then([confirmed]);
    spec
      .given([...opened, reserved, confirmed])
      .when({ type: 'ConfirmReservation', userId, videoId, now })
      .thenNothingHappens();
    spec
      .given([...opened, reserved, confirmed])
      .when({ type: 'ReserveCredit', userId, videoId, now })
      .thenNothingHappens();
  });

  it('captures and releases a confirmed reservation too', () => {
    const confirmed: BillingEvent = { type: 'CreditReservationConfirmed', data: { userId, videoId, confirmedAt: now } };
    spec
      .given([...opened, reserved, confirmed])
      .when({ type: 'CaptureCredit', userId, videoId, now })
      .then([{ type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: now } }]);
    spec
      .given([...opened, reserved, confirmed])
      .when({ type: 'ReleaseCredit', userId, videoId, cause: 'processing_failed', reason: 'failed', now })
      .then([
        {
          type: 'CreditReleased',
          data: { userId, videoId, amount: 1, cause: 'processing_failed', reason: 'failed', releasedAt: now },
        },
      ]);
  });

  it('charges on completion a video whose hold was released as orphaned, yet turned up after all', () =>
    spec
      .given([...opened, reserved, releasedAsOrphaned])
      .when({ type: 'CaptureCredit', userId, videoId, now })
      .then([reserved, { type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: now } }]));

  it('neither confirms nor reserves again an orphaned hold: only the completion charges it', () =>
    spec
      .given([...opened, reserved, releasedAsOrphaned])
      .when({ type: 'ConfirmReservation', userId, videoId, now })
      .thenNothingHappens());

  it('never charges again a video whose credit went back because processing failed', () =>
    spec
      .given([
        ...opened,
        reserved,
        {
          type: 'CreditReleased',
          data: { userId, videoId, amount: 1, cause: 'processing_failed', reason: 'failed', releasedAt: now },
        },
      ])
      .when({ type: 'CaptureCredit', userId, videoId, now })
      .thenNothingHappens());

  it('cannot charge a late video when the credits are gone', () =>
    spec
      .given([
        ...opened,
        reserved,
        releasedAsOrphaned,
        {
          type: 'CreditReserved',
          data: { userId, videoId: '55555555-5555-4555-8555-555555555555', amount: 1, reservedAt: now },
        },
      ])
      .when({ type: 'CaptureCredit', userId, videoId, now })
      .thenNothingHappens());

  it('remembers only the most recent settled reservations, and every open hold', () => {
    const videos = Array.from(
      { length: SETTLED_KEPT + 50 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const history: BillingEvent[] = [
      { type: 'AccountOpened', data: { userId, openedAt: now } },
      { type: 'CreditsGranted', data: { userId, amount: videos.length + 1, reason: 'signup', grantedAt: now } },
      { ...reserved },
      ...videos.flatMap((id): BillingEvent[] => [
        { type: 'CreditReserved', data: { userId, videoId: id, amount: 1, reservedAt: now } },
        { type: 'CreditCaptured', data: { userId, videoId: id, amount: 1, capturedAt: now } },
      ]),
    ];
    const state = history.reduce(accountDecider.evolve, accountDecider.initialState());
    expect(state.settled).toHaveLength(SETTLED_KEPT);
    expect(state.holds).toEqual({ [videoId]: 'reserved' });
    expect(state.available).toBe(0);
    spec
      .given(history)
      .when({ type: 'ReserveCredit', userId, videoId: videos[videos.length - 1], now })
      .thenNothingHappens();
  });

  it('counts reservations', () => {
    const state = [...opened, reserved].reduce(accountDecider.evolve, accountDecider.initialState());
    expect(reservedCount(state)).toBe(1);
    expect(state.available).toBe(0);
  });

  describe('cancel and retry', () => {
    const more: BillingEvent = {
      type: 'CreditsGranted',
      data: { userId, amount: 1, reason: 'purchase', grantedAt: now },
    };
    const release = (cause: 'cancelled' | 'processing_failed', attempt?: number): AccountCommand => ({
      type: 'ReleaseCredit',
      userId,
      videoId,
      attempt,
      cause,
      reason: cause,
      now,
    });
    const released = (cause: 'cancelled' | 'processing_failed', attempt?: number): BillingEvent => ({
      type: 'CreditReleased',
      data: { userId, videoId, ...(attempt ? { attempt } : {}), amount: 1, cause, reason: cause, releasedAt: now },
    });
    const reservedAgain: BillingEvent = {
      type: 'CreditReserved',
      data: { userId, videoId, attempt: 2, amount: 1, reservedAt: now },
    };

    it('gives a cancelled video’s credit back', () =>
      spec
        .given([...opened, reserved])
        .when(release('cancelled'))
        .then([released('cancelled')]));
    it('refunds once when cancel and failure both arrive, in either order', () => {
      spec
        .given([...opened, reserved, released('cancelled')])
        .when(release('processing_failed'))
        .thenNothingHappens();
      spec
        .given([...opened, reserved, released('processing_failed')])
        .when(release('cancelled'))
        .thenNothingHappens();
    });
    it('never charges a cancelled video again when its submission arrives late', () =>
      spec
        .given([...opened, reserved, released('cancelled')])
        .when({ type: 'ConfirmReservation', userId, videoId, now })
        .thenNothingHappens());
    it('does not release a credit captured before the cancel arrived', () =>
      spec
        .given([...opened, reserved, { type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: now } }])
        .when(release('cancelled'))
        .thenNothingHappens());
    it('holds a credit of its own for a retry, once', () => {
      spec
        .given([...opened, more, reserved, released('processing_failed')])
        .when({ type: 'ReserveCredit', userId, videoId, attempt: 2, now })
        .then([reservedAgain]);
      spec
        .given([...opened, more, reserved, released('processing_failed'), reservedAgain])
        .when({ type: 'ReserveCredit', userId, videoId, attempt: 2, now })
        .thenNothingHappens();
    });
    it('refuses a retry without credits (402)', () =>
      spec
        .given([
          ...opened,
          reserved,
          released('processing_failed'),
          { ...reserved, data: { ...reserved.data, videoId: '33333333-3333-4333-8333-333333333333' } },
        ])
        .when({ type: 'ReserveCredit', userId, videoId, attempt: 2, now })
        .thenThrows(AppError, /no credits left/));
    it('captures and releases each attempt on its own', () => {
      spec
        .given([...opened, more, reserved, released('processing_failed'), reservedAgain])
        .when({ type: 'CaptureCredit', userId, videoId, attempt: 2, now })
        .then([{ type: 'CreditCaptured', data: { userId, videoId, attempt: 2, amount: 1, capturedAt: now } }]);
      spec
        .given([...opened, more, reserved, released('processing_failed'), reservedAgain])
        .when(release('cancelled', 1))
        .thenNothingHappens();
      spec
        .given([...opened, more, reserved, released('processing_failed'), reservedAgain])
        .when(release('cancelled', 2))
        .then([released('cancelled', 2)]);
    });
  });
});
