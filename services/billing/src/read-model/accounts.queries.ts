import { Pool } from 'pg';
import { BalanceReply } from '@study-buddy/contracts';
import { quoteIdent } from '@study-buddy/event-store';

/** Reads of the `accounts` projection. */
export class AccountsQueries {
  private readonly table: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.accounts`;
  }

  async balance(userId: string): Promise<BalanceReply | null> {
    const { rows } = await this.pool.query<BalanceReply>(
      `SELECT balance, reserved FROM ${this.table} WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? null;
  }
}
