import { BillingEvents } from '@study-buddy/contracts';
import { billingUpcasters } from '../domain/account.upcasters';
import { randomUUID } from 'node:crypto';
import { deliver, notUsed, serviceSpec } from '@study-buddy/service-testing';
import { BillingEnv } from '../config';
import { accountStream } from '../domain/account.decider';
import { LedgerService } from '../ledger.service';
import { AccountsQueries } from '../read-model/accounts.queries';
import { gatewayEventsHandler } from './gateway-events.handler';
import { videosEventsHandler } from './videos-events.handler';

/** What billing does with the events it consumes: credits move once per event, whatever the redeliveries. */
describe('billing event handlers', () => {
  const userId = randomUUID();
  const stream = accountStream(userId);
  const at = new Date().toISOString();
  let spec: ReturnType<typeof serviceSpec>;
  let ledger: LedgerService;

  beforeEach(() => {
    spec = serviceSpec({ schemas: BillingEvents, upcasters: billingUpcasters });
    ledger = new LedgerService(
      spec.store,
      notUsed<AccountsQueries>('AccountsQueries'),
      { SIGNUP_CREDITS: 3 } as BillingEnv,
      notUsed('projector'),
    );
  });

  const open = () =>
    spec.given([
      { stream, type: 'AccountOpened', data: { userId, openedAt: at } },
      { stream, type: 'CreditsGranted', data: { userId, amount: 3, reason: 'signup', grantedAt: at } },
    ]);
  const hold = (videoId: string) =>
    spec.given([{ stream, type: 'CreditReserved', data: { userId, videoId, amount: 1, reservedAt: at } }]);

  describe('gateway events', () => {
    it('opens the account of a registered user, once per event and once per user', async () => {
      const handlers = gatewayEventsHandler(ledger);
      const registered = { userId, email: 'a@example.com', registeredAt: at };
      let id = '';
      (
        await spec.when(async () => (id = await deliver(handlers, 'gateway', 'UserRegistered', registered)))
      ).thenAppends([
        { stream, type: 'AccountOpened', data: expect.objectContaining({ userId }) },
        { stream, type: 'CreditsGranted', data: expect.objectContaining({ userId, amount: 3 }) },
      ]);
      (await spec.when(() => deliver(handlers, 'gateway', 'UserRegistered', registered, { id }))).thenAppendsNothing();
    });
  });

  describe('videos events', () => {
    const handlers = () => videosEventsHandler(ledger);
    const videoId = randomUUID();
    const failure = (error: string) => ({
      videoId,
      userId,
      error,
      failedStep: 'fetching_transcript' as const,
      retryable: false,
      failedAt: at,
    });

    it('captures the credit of a completed video, once however often the event arrives', async () => {
      await open();
      await hold(videoId);
      const completed = { videoId, userId, noteId: randomUUID(), completedAt: at };
      let id = '';
      (
        await spec.when(async () => (id = await deliver(handlers(), 'videos', 'VideoCompleted', completed)))
      ).thenAppends([
        { stream, type: 'CreditCaptured', data: { userId, videoId, amount: 1, capturedAt: expect.any(String) } },
      ]);
      (await spec.when(() => deliver(handlers(), 'videos', 'VideoCompleted', completed, { id }))).thenAppendsNothing();
    });

    it('gives the credit of a failed video back, with the reason', async () => {
      await open();
      await hold(videoId);
      const failed = failure('The transcript contains no text');
      (await spec.when(() => deliver(handlers(), 'videos', 'VideoFailed', failed))).thenAppends([
        {
          stream,
          type: 'CreditReleased',
          data: {
            userId,
            videoId,
            amount: 1,
            cause: 'processing_failed',
            reason: 'processing failed: The transcript contains no text',
            releasedAt: expect.any(String),
          },
        },
      ]);
    });

    it('charges on completion a video whose hold the sweeper released as orphaned', async () => {
      await open();
      await hold(videoId);
      await spec.given([
        {
          stream,
          type: 'CreditReleased',
          data: { userId, videoId, amount: 1, cause: 'orphaned', reason: 'never arrived', releasedAt: at },
        },
      ]);
      const completed = { videoId, userId, noteId: randomUUID(), completedAt: at };
      let id = '';
      (
        await spec.when(async () => (id = await deliver(handlers(), 'videos', 'VideoCompleted', completed)))
      ).thenAppends([
        { stream, type: 'CreditReserved', data: expect.objectContaining({ videoId, amount: 1 }) },
        { stream, type: 'CreditCaptured', data: expect.objectContaining({ videoId, amount: 1 }) },
      ]);
      (await spec.when(() => deliver(handlers(), 'videos', 'VideoCompleted', completed, { id }))).thenAppendsNothing();
    });

    it('moves nothing for a video it holds no credit for', async () => {
      await open();
      const completed = { videoId: randomUUID(), userId, noteId: randomUUID(), completedAt: at };
      (await spec.when(() => deliver(handlers(), 'videos', 'VideoCompleted', completed))).thenAppendsNothing();
    });

    it('gives a cancelled video’s credit back once, even when its failure arrives too', async () => {
      await open();
      await hold(videoId);
      const cancelled = { videoId, userId, attempt: 1, cancelledAt: at };
      let id = '';
      (
        await spec.when(async () => (id = await deliver(handlers(), 'videos', 'VideoCancelled', cancelled)))
      ).thenAppends([
        {
          stream,
          type: 'CreditReleased',
          data: {
            userId,
            videoId,
            amount: 1,
            cause: 'cancelled',
            reason: 'the video was cancelled',
            releasedAt: expect.any(String),
          },
        },
      ]);
      (await spec.when(() => deliver(handlers(), 'videos', 'VideoCancelled', cancelled, { id }))).thenAppendsNothing();
      (await spec.when(() => deliver(handlers(), 'videos', 'VideoFailed', failure('late')))).thenAppendsNothing();
    });

    it('captures a retry’s own hold', async () => {
      await open();
      await spec.given([
        { stream, type: 'CreditReserved', data: { userId, videoId, attempt: 2, amount: 1, reservedAt: at } },
      ]);
      const completed = { videoId, userId, noteId: randomUUID(), attempt: 2, completedAt: at };
      (await spec.when(() => deliver(handlers(), 'videos', 'VideoCompleted', completed))).thenAppends([
        { stream, type: 'CreditCaptured', data: expect.objectContaining({ attempt: 2 }) },
      ]);
    });
  });
});
