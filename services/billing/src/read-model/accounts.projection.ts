import { assertNever, BillingEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

/**
 * `accounts` (balance, holds and debt per user) and `ledger` (one row per credit movement, with the
 * balance after it, for history). v2: debt, purchases and clawbacks, the balance after each entry.
 */
export function accountsProjection(): PostgresProjection<'accounts' | 'ledger'> {
  return {
    name: 'accounts',
    version: 2,
    tables: ['accounts', 'ledger'],
    handles: [
      'AccountOpened',
      'CreditsGranted',
      'CreditsClawedBack',
      'CreditsRestored',
      'CreditReserved',
      'CreditCaptured',
      'CreditReleased',
    ],
    async setup(client, t) {
      await client.query(`CREATE TABLE ${t.accounts} (
        user_id uuid PRIMARY KEY,
        balance integer NOT NULL DEFAULT 0,
        reserved integer NOT NULL DEFAULT 0,
        debt integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL)`);
      await client.query(`CREATE TABLE ${t.ledger} (
        event_id uuid PRIMARY KEY,
        position bigint NOT NULL,
        user_id uuid NOT NULL,
        kind text NOT NULL,
        amount integer NOT NULL,
        balance_after integer NOT NULL,
        debt_after integer NOT NULL,
        video_id uuid,
        reason text,
        purchase_id text,
        package_id text,
        amount_paid integer,
        currency text,
        occurred_at timestamptz NOT NULL)`);
      await client.query(`CREATE INDEX ON ${t.ledger} (user_id, position DESC)`);
    },
    async apply(client, recorded, t) {
      const event = asEvent<BillingEvent>(recorded);
      const move = async (balance: number, reserved: number, debt: number, at: string) => {
        const { rows } = await client.query<{ balance: number; debt: number }>(
          prepared(
            `INSERT INTO ${t.accounts} AS accounts (user_id, balance, reserved, debt, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (user_id) DO UPDATE SET balance = accounts.balance + $2, reserved = accounts.reserved + $3,
             debt = accounts.debt + $4, updated_at = $5
           RETURNING balance, debt`,
            [event.data.userId, balance, reserved, debt, at],
          ),
        );
        return rows[0];
      };
      const ledger = (
        kind: string,
        amount: number,
        after: { balance: number; debt: number },
        at: string,
        extra: { videoId?: string; reason?: string; purchaseId?: string; packageId?: string } & {
          amountPaid?: number;
          currency?: string;
        } = {},
      ) =>
        client.query(
          prepared(
            `INSERT INTO ${t.ledger} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT DO NOTHING`,
            [
              recorded.id,
              recorded.position.toString(),
              event.data.userId,
              kind,
              amount,
              after.balance,
              after.debt,
              extra.videoId ?? null,
              extra.reason ?? null,
              extra.purchaseId ?? null,
              extra.packageId ?? null,
              extra.amountPaid ?? null,
              extra.currency ?? null,
              at,
            ],
          ),
        );
      switch (event.type) {
        case 'AccountOpened':
          await move(0, 0, 0, event.data.openedAt);
          break;
        case 'CreditsGranted': {
          const d = event.data;
          const debtPaid = d.debtPaid ?? 0;
          const after = await move(d.amount - debtPaid, 0, -debtPaid, d.grantedAt);
          await ledger(d.reason === 'purchase' ? 'purchase' : 'grant', d.amount, after, d.grantedAt, {
            reason: d.reason === 'admin' ? (d.note ?? 'admin') : d.reason,
            purchaseId: d.purchaseId,
            packageId: d.packageId,
            amountPaid: d.amountPaid,
            currency: d.currency,
          });
          break;
        }
        case 'CreditsClawedBack': {
          const d = event.data;
          const after = await move(-d.fromBalance, 0, d.toDebt, d.clawedBackAt);
          await ledger(d.cause, -d.amount, after, d.clawedBackAt, { purchaseId: d.purchaseId, reason: d.cause });
          break;
        }
        case 'CreditsRestored': {
          const d = event.data;
          const after = await move(d.toBalance, 0, -d.debtPaid, d.restoredAt);
          await ledger('dispute_won', d.amount, after, d.restoredAt, { purchaseId: d.purchaseId, reason: d.cause });
          break;
        }
        case 'CreditReserved':
          await ledger('reserve', -1, await move(-1, 1, 0, event.data.reservedAt), event.data.reservedAt, {
            videoId: event.data.videoId,
          });
          break;
        case 'CreditCaptured':
          await ledger('capture', 0, await move(0, -1, 0, event.data.capturedAt), event.data.capturedAt, {
            videoId: event.data.videoId,
          });
          break;
        case 'CreditReleased':
          await ledger('release', 1, await move(1, -1, 0, event.data.releasedAt), event.data.releasedAt, {
            videoId: event.data.videoId,
            reason: event.data.reason,
          });
          break;
        case 'CreditReservationConfirmed':
          break; // not handled: confirming a hold moves no credit
        default:
          assertNever(event, 'billing event');
      }
    },
  };
}
