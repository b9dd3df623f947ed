import { PoolClient } from 'pg';
import { RecordedEvent } from '../event-store';

/**
 * A read model kept in PostgreSQL tables. `apply` runs inside the projector's
 * transaction, together with the checkpoint update, so an event's effect and
 * the checkpoint move as one: never applied twice, never skipped.
 */
export interface PostgresProjection {
  readonly name: string;
  /** Create the tables (idempotent). */
  setup(client: PoolClient): Promise<void>;
  /** Empty the tables before a rebuild. */
  reset(client: PoolClient): Promise<void>;
  /** Event types this projection reads; others are skipped without a round trip. */
  readonly handles: readonly string[];
  apply(client: PoolClient, event: RecordedEvent): Promise<void>;
}
