import { Pool } from 'pg';
import { quoteIdent } from '@study-buddy/event-store';

/** Reads of the `checkouts` projection. */
export class CheckoutsQueries {
  private readonly table: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.checkouts`;
  }

  async sessionOfPaymentIntent(paymentIntentId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ session_id: string }>(
      `SELECT session_id FROM ${this.table} WHERE payment_intent_id = $1`,
      [paymentIntentId],
    );
    return rows[0]?.session_id ?? null;
  }
}
