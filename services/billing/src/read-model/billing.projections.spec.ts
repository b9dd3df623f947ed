import { randomUUID } from 'node:crypto';
import { projectionSpec, ProjectionSpec, StoredEvent } from '@study-buddy/service-testing';
import { accountStream } from '../domain/account.decider';
import { AccountsQueries } from './accounts.queries';
import { accountsProjection } from './accounts.projection';
import { reservationsProjection } from './reservations.projection';
import { ReservationsQueries } from './reservations.queries';

/** Billing's read models on the real PostgreSQL: every ledger event in, balances, history and holds out. */
describe('billing projections', () => {
  const userId = randomUUID();
  const [captured, released, held] = [randomUUID(), randomUUID(), randomUUID()];
  const stream = accountStream(userId);
  const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;
  const reserve = (videoId: string, minute: number): StoredEvent => ({
    stream,
    type: 'CreditReserved',
    data: { userId, videoId, amount: 1, reservedAt: at(minute) },
  });
  const ledger: StoredEvent[] = [
    { stream, type: 'AccountOpened', data: { userId, openedAt: at(0) } },
    { stream, type: 'CreditsGranted', data: { userId, amount: 3, reason: 'signup', grantedAt: at(0) } },
    reserve(captured, 1),
    { stream, type: 'CreditReservationConfirmed', data: { userId, videoId: captured, confirmedAt: at(2) } },
    { stream, type: 'CreditCaptured', data: { userId, videoId: captured, amount: 1, capturedAt: at(3) } },
    reserve(released, 4),
    {
      stream,
      type: 'CreditReleased',
      data: {
        userId,
        videoId: released,
        amount: 1,
        cause: 'processing_failed',
        reason: 'processing failed: x',
        releasedAt: at(5),
      },
    },
    reserve(held, 6),
  ];

  describe('accounts and ledger', () => {
    let read: ProjectionSpec;
    beforeAll(async () => {
      read = await projectionSpec(accountsProjection);
      await read.given(ledger);
      await read.catchUp();
    });
    afterAll(() => read.close());

    it('keeps the balance and the credits on hold', async () => {
      await expect(new AccountsQueries(read.pool, read.schema).balance(userId)).resolves.toEqual({
        balance: 1,
        reserved: 1,
      });
    });

    it('keeps one history row per credit movement', async () => {
      const rows = await read.rows<{ kind: string; amount: number; video_id: string | null }>(
        'SELECT kind, amount, video_id FROM $schema.ledger WHERE user_id = $1 ORDER BY occurred_at, kind',
        [userId],
      );
      expect(rows).toEqual([
        { kind: 'grant', amount: 3, video_id: null },
        { kind: 'reserve', amount: -1, video_id: captured },
        { kind: 'capture', amount: 0, video_id: captured },
        { kind: 'reserve', amount: -1, video_id: released },
        { kind: 'release', amount: 1, video_id: released },
        { kind: 'reserve', amount: -1, video_id: held },
      ]);
    });
  });

  describe('reservations', () => {
    let read: ProjectionSpec;
    beforeAll(async () => {
      read = await projectionSpec(reservationsProjection);
      await read.given(ledger);
      await read.catchUp();
    });
    afterAll(() => read.close());

    it('tracks each hold to its end', async () => {
      const rows = await read.rows<{ video_id: string; status: string }>(
        'SELECT video_id, status FROM $schema.reservations ORDER BY reserved_at',
      );
      expect(rows).toEqual([
        { video_id: captured, status: 'captured' },
        { video_id: released, status: 'released' },
        { video_id: held, status: 'reserved' },
      ]);
    });

    it('lists only unconfirmed holds older than the TTL as candidates for release', async () => {
      const old = await new ReservationsQueries(read.pool, read.schema).unconfirmedOlderThan(60_000);
      expect(old).toEqual([{ videoId: held, userId, attempt: 1 }]);
      const young = await new ReservationsQueries(read.pool, read.schema).unconfirmedOlderThan(10 * 365 * 86_400_000);
      expect(young).toEqual([]);
    });
  });
});
