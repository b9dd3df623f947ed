import { assertNever, BillingEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection } from '@study-buddy/event-store';

/** `accounts` (balance per user) and `ledger` (one row per credit movement, for history). */
export function accountsProjection(): PostgresProjection<'accounts' | 'ledger'> {
  return {
    name: 'accounts',
    version: 1,
    tables: ['accounts', 'ledger'],
    handles: ['AccountOpened', 'CreditsGranted', 'CreditReserved', 'CreditCaptured', 'CreditReleased'],
    async setup(client, t) {
      await client.query(`CREATE TABLE ${t.accounts} (
        user_id uuid PRIMARY KEY,
        balance integer NOT NULL DEFAULT 0,
        reserved integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL)`);
      await client.query(`CREATE TABLE ${t.ledger} (
        event_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        kind text NOT NULL,
        amount integer NOT NULL,
        video_id uuid,
        reason text,
        occurred_at timestamptz NOT NULL)`);
      await client.query(`CREATE INDEX ON ${t.ledger} (user_id, occurred_at DESC)`);
    },
    async apply(client, recorded, t) {
      const event = asEvent<BillingEvent>(recorded);
      const move = async (balance: number, reserved: number, at: string) =>
        client.query(
          `INSERT INTO ${t.accounts} AS accounts (user_id, balance, reserved, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id) DO UPDATE SET balance = accounts.balance + $2, reserved = accounts.reserved + $3, updated_at = $4`,
          [event.data.userId, balance, reserved, at],
        );
      const ledger = (
        kind: string,
        amount: number,
        at: string,
        videoId: string | null = null,
        reason: string | null = null,
      ) =>
        client.query(`INSERT INTO ${t.ledger} VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, [
          recorded.id,
          event.data.userId,
          kind,
          amount,
          videoId,
          reason,
          at,
        ]);
      switch (event.type) {
        case 'AccountOpened':
          await move(0, 0, event.data.openedAt);
          break;
        case 'CreditsGranted':
          await move(event.data.amount, 0, event.data.grantedAt);
          await ledger('grant', event.data.amount, event.data.grantedAt, null, event.data.reason);
          break;
        case 'CreditReserved':
          await move(-1, 1, event.data.reservedAt);
          await ledger('reserve', -1, event.data.reservedAt, event.data.videoId);
          break;
        case 'CreditCaptured':
          await move(0, -1, event.data.capturedAt);
          await ledger('capture', 0, event.data.capturedAt, event.data.videoId);
          break;
        case 'CreditReleased':
          await move(1, -1, event.data.releasedAt);
          await ledger('release', 1, event.data.releasedAt, event.data.videoId, event.data.reason);
          break;
        case 'CreditReservationConfirmed':
          break; // not handled: confirming a hold moves no credit
        default:
          assertNever(event, 'billing event');
      }
    },
  };
}
