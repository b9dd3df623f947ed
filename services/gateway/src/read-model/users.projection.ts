import { assertNever, GatewayEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

const COLUMNS = {
  name: 'name',
  defaultSubject: 'default_subject',
  noteLanguage: 'note_language',
  assessment: 'assessment',
};

/**
 * `users`: profile data and preferences for `GET /user` and the defaults of a
 * submission (never the password hash). v2 added the preferences.
 */
export function usersProjection(): PostgresProjection<'users'> {
  return {
    name: 'users',
    version: 2,
    tables: ['users'],
    handles: ['UserRegistered', 'UserProfileUpdated'],
    async setup(client, { users: t }) {
      await client.query(`CREATE TABLE ${t} (
        user_id uuid PRIMARY KEY, email text NOT NULL, name text, registered_at timestamptz NOT NULL,
        default_subject text, note_language text, assessment boolean)`);
    },
    async apply(client, recorded, { users: t }) {
      const event = asEvent<GatewayEvent>(recorded);
      switch (event.type) {
        case 'UserRegistered':
          await client.query(
            prepared(
              `INSERT INTO ${t} (user_id, email, name, registered_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id) DO NOTHING`,
              [event.data.userId, event.data.email, event.data.name, event.data.registeredAt],
            ),
          );
          return;
        case 'UserProfileUpdated': {
          const changed = (Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]).filter((f) => event.data[f] !== undefined);
          if (changed.length === 0) return;
          await client.query(
            `UPDATE ${t} SET ${changed.map((f, i) => `${COLUMNS[f]} = $${i + 2}`).join(', ')} WHERE user_id = $1`,
            [event.data.userId, ...changed.map((f) => event.data[f])],
          );
          return;
        }
        case 'UserEmailClaimed':
        case 'UserPasswordChanged':
        case 'UserSessionsRevoked':
        case 'SessionStarted':
        case 'SessionRefreshed':
        case 'SessionEnded':
          return; // not handled: uniqueness, credentials and sessions are not profile data
        default:
          return assertNever(event, 'gateway event');
      }
    },
  };
}
