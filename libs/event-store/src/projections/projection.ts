import { PoolClient } from 'pg';
import { RecordedEvent } from '../event-store';

/** Logical table name → the quoted, schema-qualified physical table of the build being written. */
export type ProjectionTables<Table extends string = string> = Readonly<Record<Table, string>>;

/**
 * A read model kept in PostgreSQL tables. `apply` runs inside the projector's
 * transaction, together with the checkpoint update, so an event's effect and
 * the checkpoint move as one: never applied twice, never skipped.
 *
 * The projector owns the table names: each build of a version writes its own
 * physical tables (`videos_v2`), and readers query the stable name (`videos`),
 * a view the projector points at the build that has caught up. Changing what
 * `setup` creates or what `apply` writes means raising `version`: the new
 * version is built beside the old one and takes over, no ALTER TABLE.
 */
export interface PostgresProjection<Table extends string = string> {
  readonly name: string;
  /** Raise it whenever the tables or what `apply` writes change. */
  readonly version: number;
  /** The stable names readers query; each becomes a view over this version's table. */
  readonly tables: readonly Table[];
  /** Creates a fresh build's tables and indexes (called once per build, on empty tables' names). */
  setup(client: PoolClient, tables: ProjectionTables<Table>): Promise<void>;
  /** Event types this projection reads; others are skipped without a round trip. */
  readonly handles: readonly string[];
  apply(client: PoolClient, event: RecordedEvent, tables: ProjectionTables<Table>): Promise<void>;
}
