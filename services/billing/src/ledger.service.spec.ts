import { BillingEvents } from '@study-buddy/contracts';
import { billingUpcasters } from './domain/account.upcasters';
import { randomUUID } from 'node:crypto';
import { createMemorySnapshotStore } from '@study-buddy/event-store';
import { projectionSpec, ProjectionSpec, serviceSpec } from '@study-buddy/service-testing';
import { BillingEnv } from './config';
import { accountStream } from './domain/account.decider';
import { ACCOUNT_STATE_VERSION, LedgerService, SNAPSHOT_EVERY } from './ledger.service';
import { AccountsQueries } from './read-model/accounts.queries';
import { accountsProjection } from './read-model/accounts.projection';

/** The credit ledger as billing runs it: commands on the in-memory store, balances from the real projection. */
describe('LedgerService', () => {
  const env = { SIGNUP_CREDITS: 2 } as BillingEnv;
  let spec: ReturnType<typeof serviceSpec>;
  let read: ProjectionSpec;
  let ledger: LedgerService;
  let userId: string;
  const stream = () => accountStream(userId);

  beforeEach(async () => {
    userId = randomUUID();
    spec = serviceSpec({ schemas: BillingEvents, upcasters: billingUpcasters });
    read = await projectionSpec(accountsProjection, { store: spec.store });
    read.projector.start();
    ledger = new LedgerService(spec.store, new AccountsQueries(read.pool, read.schema), env, read.projector);
  });
  afterEach(() => read.close());

  const opened = () => ledger.openAccount(userId, {});

  it('opens an account once, with the signup credits', async () => {
    (await spec.when(opened)).thenReplies({ userId, balance: 2 }).thenAppends([
      { stream: stream(), type: 'AccountOpened', data: { userId, openedAt: expect.any(String) } },
      {
        stream: stream(),
        type: 'CreditsGranted',
        data: expect.objectContaining({ userId, amount: 2, grantedAt: expect.any(String) }),
      },
    ]);
    (await spec.when(opened)).thenReplies({ userId, balance: 2 }).thenAppendsNothing();
  });

  it('reserves one credit per video, once, whatever the retries', async () => {
    await opened();
    const videoId = randomUUID();
    (await spec.when(() => ledger.reserve(userId, videoId, {})))
      .thenReplies({ videoId, balance: 1, reserved: 1 })
      .thenAppends([
        {
          stream: stream(),
          type: 'CreditReserved',
          data: { userId, videoId, amount: 1, reservedAt: expect.any(String) },
        },
      ]);
    (await spec.when(() => ledger.reserve(userId, videoId, {})))
      .thenReplies({ videoId, balance: 1, reserved: 1 })
      .thenAppendsNothing();
  });

  it('refuses a reservation without credits (402), and before the account exists', async () => {
    (await spec.when(() => ledger.reserve(userId, randomUUID(), {}))).thenFails({
      code: 'insufficient_credits',
      message: expect.stringMatching(/being set up/),
    });
    await opened();
    await ledger.reserve(userId, randomUUID(), {});
    await ledger.reserve(userId, randomUUID(), {});
    (await spec.when(() => ledger.reserve(userId, randomUUID(), {}))).thenFails({
      code: 'insufficient_credits',
      details: { balance: 0, required: 1 },
    });
  });

  it('never spends one credit twice under concurrent reservations', async () => {
    await ledger.execute({ type: 'OpenAccount', userId, signupCredits: 1, now: new Date().toISOString() });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => ledger.reserve(userId, randomUUID(), {})));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reserved = (await spec.store.readStream(stream())).filter((e) => e.type === 'CreditReserved');
    expect(reserved).toHaveLength(1);
  });

  it('confirms, captures on completion, and does not refund a captured credit', async () => {
    await opened();
    const videoId = randomUUID();
    await ledger.reserve(userId, videoId, {});
    const now = new Date().toISOString();
    (await spec.when(() => ledger.execute({ type: 'ConfirmReservation', userId, videoId, now }))).thenAppends([
      { stream: stream(), type: 'CreditReservationConfirmed', data: { userId, videoId, confirmedAt: now } },
    ]);
    (await spec.when(() => ledger.execute({ type: 'CaptureCredit', userId, videoId, now }))).thenAppends([
      { stream: stream(), type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: now } },
    ]);
    (
      await spec.when(() =>
        ledger.execute({
          type: 'ReleaseCredit',
          userId,
          videoId,
          cause: 'processing_failed',
          reason: 'late failure',
          now,
        }),
      )
    ).thenAppendsNothing();
    await read.catchUp();
    await expect(ledger.balance(userId)).resolves.toEqual({ balance: 1, reserved: 0 });
  });

  it('releases a held credit on failure, once', async () => {
    await opened();
    const videoId = randomUUID();
    await ledger.reserve(userId, videoId, {});
    const release = () =>
      ledger.execute(
        {
          type: 'ReleaseCredit',
          userId,
          videoId,
          cause: 'processing_failed',
          reason: 'processing failed',
          now: new Date().toISOString(),
        },
        {},
        'event-1',
      );
    (await spec.when(release)).thenAppends([
      {
        stream: stream(),
        type: 'CreditReleased',
        data: {
          userId,
          videoId,
          amount: 1,
          cause: 'processing_failed',
          reason: 'processing failed',
          releasedAt: expect.any(String),
        },
      },
    ]);
    (await spec.when(release)).thenAppendsNothing();
    await read.catchUp();
    await expect(ledger.balance(userId)).resolves.toEqual({ balance: 2, reserved: 0 });
  });

  it('gives a credit back at once when its video could not be recorded, as orphaned, once', async () => {
    await opened();
    const videoId = randomUUID();
    await ledger.reserve(userId, videoId, {});
    const release = () => ledger.releaseUnrecorded(userId, videoId, {});
    (await spec.when(release)).thenReplies({ videoId, released: true }).thenAppends([
      {
        stream: stream(),
        type: 'CreditReleased',
        data: expect.objectContaining({ userId, videoId, amount: 1, cause: 'orphaned' }),
      },
    ]);
    (await spec.when(release)).thenReplies({ videoId, released: false }).thenAppendsNothing();
    await read.catchUp();
    await expect(ledger.balance(userId)).resolves.toEqual({ balance: 2, reserved: 0 });
  });

  it('reads the balance of an account opened a moment ago', async () => {
    await read.projector.stop(); // the projection lags: balance must wait for it, not answer zero
    await opened();
    const balance = ledger.balance(userId);
    read.projector.start();
    await expect(balance).resolves.toEqual({ balance: 2, reserved: 0 });
  });

  it("grants an operator's credits once per key, with the reason", async () => {
    await opened();
    (await spec.when(() => ledger.grant(userId, 5, 'ticket-7', 'refund for an outage')))
      .thenReplies({ userId, balance: 7, granted: true })
      .thenAppends([
        {
          stream: stream(),
          type: 'CreditsGranted',
          data: expect.objectContaining({
            amount: 5,
            reason: 'admin',
            grantId: 'ticket-7',
            note: 'refund for an outage',
          }),
        },
      ]);
    (await spec.when(() => ledger.grant(userId, 5, 'ticket-7', 'refund for an outage')))
      .thenReplies({ userId, balance: 7, granted: false })
      .thenAppendsNothing();
  });

  it('keeps a long ledger short to read with snapshots, deciding exactly as from the whole stream', async () => {
    const snapshots = createMemorySnapshotStore();
    const fast = new LedgerService(
      spec.store,
      new AccountsQueries(read.pool, read.schema),
      env,
      read.projector,
      snapshots,
    );
    await fast.execute({ type: 'OpenAccount', userId, signupCredits: 300, now: new Date().toISOString() });
    const videos = Array.from({ length: SNAPSHOT_EVERY * 2 + 20 }, () => randomUUID());
    for (const videoId of videos) {
      await fast.reserve(userId, videoId, {});
      await fast.execute({ type: 'CaptureCredit', userId, videoId, now: new Date().toISOString() });
    }
    const snapshot = await snapshots.load(stream(), ACCOUNT_STATE_VERSION);
    expect(Number(snapshot!.revision)).toBeGreaterThanOrEqual(SNAPSHOT_EVERY * 4 - 1);
    const slow = await ledger.reserve(userId, videos[videos.length - 1], {});
    const quick = await fast.reserve(userId, videos[videos.length - 1], {});
    expect(quick).toEqual(slow);
    expect(quick).toEqual({ videoId: videos[videos.length - 1], balance: 300 - videos.length, reserved: 0 });
  });
});
