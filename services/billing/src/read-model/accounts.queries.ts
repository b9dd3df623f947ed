import { Pool } from 'pg';
import { HistoryEntry, HistoryReply } from '@study-buddy/contracts';
import { quoteIdent } from '@study-buddy/event-store';

interface LedgerRow {
  event_id: string;
  position: string;
  kind: HistoryEntry['kind'];
  amount: number;
  balance_after: number;
  debt_after: number;
  video_id: string | null;
  reason: string | null;
  package_id: string | null;
  amount_paid: number | null;
  currency: string | null;
  occurred_at: Date;
}

/** Reads of the `accounts` projection: balances, and the ledger newest first (keyset on the event's position). */
export class AccountsQueries {
  private readonly accounts: string;
  private readonly ledger: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.accounts = `${quoteIdent(schema)}.accounts`;
    this.ledger = `${quoteIdent(schema)}.ledger`;
  }

  async balance(userId: string): Promise<{ balance: number; reserved: number; debt: number } | null> {
    const { rows } = await this.pool.query<{ balance: number; reserved: number; debt: number }>(
      `SELECT balance, reserved, debt FROM ${this.accounts} WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** One page, newest first; null when the cursor is not one this query issued. */
  async history(userId: string, cursor: string | undefined, limit: number): Promise<HistoryReply | null> {
    let before: string | null = null;
    if (cursor) {
      before = Buffer.from(cursor, 'base64url').toString('utf8');
      if (!/^\d{1,19}$/.test(before)) return null;
    }
    const { rows } = await this.pool.query<LedgerRow>(
      `SELECT * FROM ${this.ledger} WHERE user_id = $1 AND ($2::bigint IS NULL OR position < $2::bigint)
       ORDER BY position DESC LIMIT $3`,
      [userId, before, limit + 1],
    );
    const items = rows.slice(0, limit).map(
      (r): HistoryEntry => ({
        id: r.event_id,
        kind: r.kind,
        amount: r.amount,
        balanceAfter: r.balance_after,
        debtAfter: r.debt_after,
        videoId: r.video_id,
        reason: r.reason,
        packageId: r.package_id,
        amountPaid: r.amount_paid,
        currency: r.currency,
        occurredAt: r.occurred_at.toISOString(),
      }),
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? Buffer.from(last.position).toString('base64url') : null };
  }
}
