import { GatewayEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, quoteIdent } from '@study-buddy/event-store';

/** `users`: profile data for `GET /auth/me` (never the password hash). */
export function usersProjection(schema: string): PostgresProjection {
  const t = `${quoteIdent(schema)}.users`;
  return {
    name: 'users',
    handles: ['UserRegistered'],
    async setup(client) {
      await client.query(`CREATE TABLE IF NOT EXISTS ${t} (
        user_id uuid PRIMARY KEY, email text NOT NULL, name text, registered_at timestamptz NOT NULL)`);
    },
    async reset(client) {
      await client.query(`TRUNCATE ${t}`);
    },
    async apply(client, recorded) {
      const event = asEvent<GatewayEvent>(recorded);
      if (event.type !== 'UserRegistered') return;
      await client.query(`INSERT INTO ${t} VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO NOTHING`, [
        event.data.userId,
        event.data.email,
        event.data.name ?? null,
        event.data.registeredAt,
      ]);
    },
  };
}
