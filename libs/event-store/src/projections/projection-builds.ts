import { Pool, PoolClient } from 'pg';
import { applyMigrations, Migration } from '../migrations/schema-migrations';
import { quoteIdent, quoteLiteral } from '../sql';
import { PostgresProjection, ProjectionTables } from './projection';

/**
 * One build of a projection: a version's tables filled from the event store,
 * with its own checkpoint. At most one build per projection is active (the
 * views readers query point at it); another may be catching up beside it.
 * Version 0 stands for the tables made before projections were versioned
 * (stable names are the tables themselves, the checkpoint is the projection's name).
 */
export interface ProjectionBuild {
  projection: string;
  version: number;
  generation: number;
  checkpoint: string;
  /** Stable name → physical table (unquoted). */
  relations: Record<string, string>;
}

export const projectionBuildMigrations: Migration[] = [
  {
    version: 1,
    name: 'projection builds and read-only views',
    async up(client, schema) {
      const s = quoteIdent(schema);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.projection_builds (
        projection text NOT NULL,
        version integer NOT NULL,
        generation integer NOT NULL,
        checkpoint text NOT NULL,
        relations jsonb NOT NULL,
        active boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        PRIMARY KEY (projection, version, generation))`);
      await client.query(
        `CREATE UNIQUE INDEX IF NOT EXISTS projection_builds_one_active ON ${s}.projection_builds (projection) WHERE active`,
      );
      // Writes through a read view are a bug (or a replica still running code from before versioned
      // projections): refuse them loudly instead of letting them land in whichever build is active.
      await client.query(`CREATE OR REPLACE FUNCTION ${s}.projection_view_read_only() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
          RAISE EXCEPTION 'read model %.% is a read-only view; projections write their versioned tables', TG_TABLE_SCHEMA, TG_TABLE_NAME;
        END $$`);
    },
  },
];

export async function migrateProjectionBuilds(pool: Pool, schema: string): Promise<void> {
  await applyMigrations(pool, schema, 'projection-builds', projectionBuildMigrations);
}

export function physicalTable(table: string, version: number, generation: number): string {
  return generation === 1 ? `${table}_v${version}` : `${table}_v${version}_${generation}`;
}

export function plannedBuild(projection: PostgresProjection, generation: number): ProjectionBuild {
  const { name, version } = projection;
  return {
    projection: name,
    version,
    generation,
    checkpoint: generation === 1 ? `${name}@v${version}` : `${name}@v${version}.${generation}`,
    relations: Object.fromEntries(projection.tables.map((t) => [t, physicalTable(t, version, generation)])),
  };
}

/** Orders builds: a higher version, or a later generation of the same one, replaces an older build. */
export function compareBuilds(a: ProjectionBuild, b: ProjectionBuild): number {
  return a.version !== b.version ? a.version - b.version : a.generation - b.generation;
}

export const sameBuild = (a: ProjectionBuild | null, b: ProjectionBuild | null) =>
  a !== null && b !== null && compareBuilds(a, b) === 0 && a.projection === b.projection;

export function tablesOf(schema: string, build: ProjectionBuild): ProjectionTables {
  // A live projector passes the same build to every batch: its names are quoted once.
  const known = quotedTables.get(build);
  if (known?.schema === schema) return known.tables;
  const tables = Object.freeze(
    Object.fromEntries(
      Object.entries(build.relations).map(([t, physical]) => [t, `${quoteIdent(schema)}.${quoteIdent(physical)}`]),
    ),
  );
  quotedTables.set(build, { schema, tables });
  return tables;
}

const quotedTables = new WeakMap<ProjectionBuild, { schema: string; tables: ProjectionTables }>();

const COLUMNS = 'projection, version, generation, checkpoint, relations';

/** The active builds of several projections, as one statement without parameters. */
export const activeBuildsSql = (schema: string, projections: readonly string[]) =>
  `SELECT ${COLUMNS} FROM ${quoteIdent(schema)}.projection_builds WHERE active AND projection IN (${projections
    .map(quoteLiteral)
    .join(', ')})`;

export async function loadActiveBuild(
  client: Pool | PoolClient,
  schema: string,
  projection: string,
  forUpdate = false,
): Promise<ProjectionBuild | null> {
  const { rows } = await client.query<ProjectionBuild>(
    `SELECT ${COLUMNS} FROM ${quoteIdent(schema)}.projection_builds WHERE projection = $1 AND active${forUpdate ? ' FOR UPDATE' : ''}`,
    [projection],
  );
  return rows[0] ?? null;
}

/** Serialises the DDL of one projection's builds across replicas (taken before any row lock). */
export async function lockProjectionDdl(client: PoolClient, schema: string, projection: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection:${schema}:${projection}`]);
}

/**
 * True when one of the projection's stable names is still a plain table: the
 * database predates versioning (the others may be missing, e.g. added later).
 */
export async function hasUnversionedTables(client: PoolClient, schema: string, tables: readonly string[]) {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p')`,
    [schema, tables],
  );
  return rows.length > 0;
}

export async function recordUnversionedBuild(
  client: PoolClient,
  schema: string,
  projection: PostgresProjection,
): Promise<ProjectionBuild> {
  const build: ProjectionBuild = {
    projection: projection.name,
    version: 0,
    generation: 0,
    checkpoint: projection.name,
    relations: Object.fromEntries(projection.tables.map((t) => [t, t])),
  };
  await insertBuild(client, schema, build, true);
  return build;
}

async function insertBuild(client: PoolClient, schema: string, build: ProjectionBuild, active: boolean) {
  await client.query(
    `INSERT INTO ${quoteIdent(schema)}.projection_builds (projection, version, generation, checkpoint, relations, active, activated_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN now() END)`,
    [build.projection, build.version, build.generation, build.checkpoint, JSON.stringify(build.relations), active],
  );
}

async function dropBuild(client: PoolClient, schema: string, build: ProjectionBuild): Promise<void> {
  const s = quoteIdent(schema);
  // Checkpoint row first: it waits for a batch of this build in flight, in the order builders lock (row, then tables).
  await client.query(`DELETE FROM ${s}.checkpoints WHERE name = $1`, [build.checkpoint]);
  for (const physical of Object.values(build.relations))
    await client.query(`DROP TABLE IF EXISTS ${s}.${quoteIdent(physical)}`);
  await client.query(`DELETE FROM ${s}.projection_builds WHERE projection = $1 AND version = $2 AND generation = $3`, [
    build.projection,
    build.version,
    build.generation,
  ]);
}

/**
 * Creates a build's tables and its checkpoint at 0, unless it exists already
 * (then it resumes from its checkpoint). `fresh` drops an existing one first:
 * a rebuild starts from zero. Call under `lockProjectionDdl`.
 */
export async function ensureBuild(
  client: PoolClient,
  schema: string,
  projection: PostgresProjection,
  build: ProjectionBuild,
  options: { fresh?: boolean; active?: boolean } = {},
): Promise<void> {
  const s = quoteIdent(schema);
  const { rows } = await client.query(
    `SELECT 1 FROM ${s}.projection_builds WHERE projection = $1 AND version = $2 AND generation = $3`,
    [build.projection, build.version, build.generation],
  );
  if (rows.length > 0 && !options.fresh) return;
  if (rows.length > 0) await dropBuild(client, schema, build);
  await insertBuild(client, schema, build, options.active ?? false);
  await projection.setup(client, tablesOf(schema, build));
  await client.query(
    `INSERT INTO ${s}.checkpoints (name, position) VALUES ($1, 0)
     ON CONFLICT (name) DO UPDATE SET position = 0, updated_at = now()`,
    [build.checkpoint],
  );
}

/** Points the stable names at `build`'s tables, with writes through them refused. */
export async function createViews(client: PoolClient, schema: string, build: ProjectionBuild): Promise<void> {
  const s = quoteIdent(schema);
  for (const [stable, physical] of Object.entries(build.relations)) {
    const view = `${s}.${quoteIdent(stable)}`;
    await client.query(`DROP VIEW IF EXISTS ${view}`);
    await client.query(`CREATE VIEW ${view} AS SELECT * FROM ${s}.${quoteIdent(physical)}`);
    await client.query(
      `CREATE TRIGGER read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON ${view}
       FOR EACH ROW EXECUTE FUNCTION ${s}.projection_view_read_only()`,
    );
  }
}

/**
 * Serialises switches of one projection's builds. Taken after the switcher's
 * own checkpoint lock and before the active build's row: a switch from no
 * active build (the first one) has no row to lock, so this is what keeps two
 * first builds from both taking over.
 */
export async function lockProjectionSwitch(client: PoolClient, schema: string, projection: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection-switch:${schema}:${projection}`]);
}

/**
 * Moves reads from `from` (none for a first build) to `to` in the caller's
 * transaction (which holds the checkpoint locks of both, so no batch of either
 * is in flight), then drops `from` and any abandoned build older than `to`.
 * The DDL waits at most `lockTimeoutMs` for readers: a reader that holds the
 * view longer would otherwise queue every later reader behind this switch.
 * On that timeout it throws a `lock_not_available` error (SQLSTATE 55P03) and
 * the caller retries later; run it in a savepoint to keep the rest.
 */
export async function switchBuild(
  client: PoolClient,
  schema: string,
  from: ProjectionBuild | null,
  to: ProjectionBuild,
  lockTimeoutMs = 5000,
): Promise<void> {
  const s = quoteIdent(schema);
  await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
  if (from) {
    // IF EXISTS: an unversioned database may lack some of the stable tables (one added later).
    for (const [stable, physical] of Object.entries(from.relations)) {
      if (physical === stable) await client.query(`DROP TABLE IF EXISTS ${s}.${quoteIdent(stable)}`);
      else await client.query(`DROP VIEW IF EXISTS ${s}.${quoteIdent(stable)}`);
    }
    await dropBuild(client, schema, from);
  }
  await client.query(
    `UPDATE ${s}.projection_builds SET active = true, activated_at = now()
     WHERE projection = $1 AND version = $2 AND generation = $3`,
    [to.projection, to.version, to.generation],
  );
  await createViews(client, schema, to);
  const { rows: abandoned } = await client.query<ProjectionBuild>(
    `SELECT ${COLUMNS} FROM ${s}.projection_builds
     WHERE projection = $1 AND NOT active AND (version, generation) < ($2, $3)`,
    [to.projection, to.version, to.generation],
  );
  for (const build of abandoned) await dropBuild(client, schema, build);
}

/** Drops a build that never took over (a failed rebuild), unless it is active by now. Call under `lockProjectionDdl`. */
export async function dropInactiveBuild(client: PoolClient, schema: string, build: ProjectionBuild): Promise<void> {
  const { rows } = await client.query(
    `SELECT 1 FROM ${quoteIdent(schema)}.projection_builds
     WHERE projection = $1 AND version = $2 AND generation = $3 AND NOT active`,
    [build.projection, build.version, build.generation],
  );
  if (rows.length > 0) await dropBuild(client, schema, build);
}
