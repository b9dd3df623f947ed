import { BillingEvents } from '@study-buddy/contracts';
import { billingUpcasters } from './domain/account.upcasters';
import { randomUUID } from 'node:crypto';
import { AppError, RPC } from '@study-buddy/contracts';
import { createRecordingRpc, projectionSpec, ProjectionSpec, serviceSpec } from '@study-buddy/service-testing';
import { BillingEnv } from './config';
import { accountStream } from './domain/account.decider';
import { LedgerService } from './ledger.service';
import { AccountsQueries } from './read-model/accounts.queries';
import { reservationsProjection } from './read-model/reservations.projection';
import { ReservationsQueries } from './read-model/reservations.queries';
import { reservationSweeper } from './reservation-sweeper';
import { createPostgresLeaderLock } from '@study-buddy/event-store';

/** Orphaned holds: a credit reserved for a video that videos never recorded goes back to the user. */
describe('reservation sweeper', () => {
  const ttlMs = 10 * 60_000;
  const userId = randomUUID();
  const stream = accountStream(userId);
  let spec: ReturnType<typeof serviceSpec>;
  let read: ProjectionSpec;
  let rpc: ReturnType<typeof createRecordingRpc>;
  let sweeper: ReturnType<typeof reservationSweeper>;

  const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
  const heldFor = async (videoId: string, msAgo: number) => {
    await spec.given([{ stream, type: 'CreditReserved', data: { userId, videoId, amount: 1, reservedAt: at(msAgo) } }]);
    await read.catchUp();
  };

  beforeEach(async () => {
    spec = serviceSpec({ schemas: BillingEvents, upcasters: billingUpcasters });
    await spec.given([
      { stream, type: 'AccountOpened', data: { userId, openedAt: at(ttlMs * 2) } },
      { stream, type: 'CreditsGranted', data: { userId, amount: 3, reason: 'signup', grantedAt: at(ttlMs * 2) } },
    ]);
    read = await projectionSpec(reservationsProjection, { store: spec.store });
    rpc = createRecordingRpc();
    const ledger = new LedgerService(
      spec.store,
      {} as AccountsQueries, // balances are not read by the sweeper
      { SIGNUP_CREDITS: 3 } as BillingEnv,
      read.projector,
    );
    sweeper = reservationSweeper(
      { reservations: new ReservationsQueries(read.pool, read.schema), rpc, ledger },
      { ttlMs, intervalMs: 60_000 },
    );
  });
  afterEach(() => read.close());

  it('releases a hold whose video never arrived', async () => {
    const videoId = randomUUID();
    await heldFor(videoId, ttlMs + 1000);
    rpc.respond(RPC.videos.get, () => {
      throw new AppError('not_found', 'Video not found');
    });
    (await spec.when(() => sweeper.sweep())).thenAppends([
      {
        stream,
        type: 'CreditReleased',
        data: {
          userId,
          videoId,
          amount: 1,
          cause: 'orphaned',
          reason: 'the video was never accepted',
          releasedAt: expect.any(String),
        },
      },
    ]);
    expect(rpc.callsTo(RPC.videos.get)).toEqual([{ userId, videoId }]);
  });

  it('confirms a hold whose video exists after all', async () => {
    const videoId = randomUUID();
    await heldFor(videoId, ttlMs + 1000);
    const now = new Date().toISOString();
    rpc.respond(RPC.videos.get, () => ({
      videoId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      status: 'queued',
      progress: 0,
      step: null,
      statusMessage: null,
      noteId: null,
      title: null,
      subject: null,
      error: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      attempt: 1,
    }));
    (await spec.when(() => sweeper.sweep())).thenAppends([
      { stream, type: 'CreditReservationConfirmed', data: { userId, videoId, confirmedAt: expect.any(String) } },
    ]);
  });

  it('releases a retry’s hold when the video never reached that attempt', async () => {
    const videoId = randomUUID();
    await spec.given([
      {
        stream,
        type: 'CreditReserved',
        data: { userId, videoId, attempt: 2, amount: 1, reservedAt: at(ttlMs + 1000) },
      },
    ]);
    await read.catchUp();
    const now = new Date().toISOString();
    rpc.respond(RPC.videos.get, () => ({
      videoId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      status: 'failed',
      progress: 25,
      step: 'fetching_transcript',
      statusMessage: null,
      noteId: null,
      title: null,
      subject: null,
      error: { message: 'x', failedStep: 'fetching_transcript', retryable: true },
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      attempt: 1,
    }));
    (await spec.when(() => sweeper.sweep())).thenAppends([
      { stream, type: 'CreditReleased', data: expect.objectContaining({ videoId, attempt: 2, cause: 'orphaned' }) },
    ]);
  });

  it('leaves young holds alone, and decides nothing while videos is unreachable', async () => {
    await heldFor(randomUUID(), 1000);
    await heldFor(randomUUID(), ttlMs + 1000);
    (await spec.when(() => sweeper.sweep())).thenAppendsNothing();
    expect(rpc.callsTo(RPC.videos.get)).toHaveLength(1); // only the old one was checked, and it could not be
  });

  it('sweeps in one replica at a time: the holder of the advisory lock', async () => {
    const ledger = {} as LedgerService; // the replicas without the lock decide nothing
    const lock = (key: string) => createPostgresLeaderLock(read.pool, key);
    const key = `reservation-sweeper-${randomUUID()}`;
    const replicas = [0, 1].map(() =>
      reservationSweeper(
        { reservations: new ReservationsQueries(read.pool, read.schema), rpc, ledger, lock: lock(key) },
        { ttlMs, intervalMs: 60_000 },
      ),
    );
    await read.catchUp(); // the reservations table
    try {
      expect(await replicas[0].sweep()).toBe(true);
      expect(await replicas[1].sweep()).toBe(false);
      expect(await replicas[0].sweep()).toBe(true); // held between sweeps
      await replicas[0].stop(); // shutting down hands the lock over
      expect(await replicas[1].sweep()).toBe(true);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });
});
