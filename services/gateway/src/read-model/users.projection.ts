import { assertNever, GatewayEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection } from '@study-buddy/event-store';

/** `users`: profile data for `GET /auth/me` (never the password hash). */
export function usersProjection(): PostgresProjection<'users'> {
  return {
    name: 'users',
    version: 1,
    tables: ['users'],
    handles: ['UserRegistered'],
    async setup(client, { users: t }) {
      await client.query(`CREATE TABLE ${t} (
        user_id uuid PRIMARY KEY, email text NOT NULL, name text, registered_at timestamptz NOT NULL)`);
    },
    async apply(client, recorded, { users: t }) {
      const event = asEvent<GatewayEvent>(recorded);
      switch (event.type) {
        case 'UserRegistered':
          await client.query(`INSERT INTO ${t} VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO NOTHING`, [
            event.data.userId,
            event.data.email,
            event.data.name,
            event.data.registeredAt,
          ]);
          return;
        case 'UserEmailClaimed':
          return; // not handled: the claim stream only guards uniqueness
        default:
          return assertNever(event, 'gateway event');
      }
    },
  };
}
