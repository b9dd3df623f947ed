import { assertNever, BillingEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection } from '@study-buddy/event-store';

/** `reservations`: every credit held for a video, so orphaned holds can be found and released. */
export function reservationsProjection(): PostgresProjection<'reservations'> {
  return {
    name: 'reservations',
    version: 1,
    tables: ['reservations'],
    handles: ['CreditReserved', 'CreditReservationConfirmed', 'CreditCaptured', 'CreditReleased'],
    async setup(client, { reservations: t }) {
      await client.query(`CREATE TABLE ${t} (
        video_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        status text NOT NULL,
        reserved_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)`);
      await client.query(`CREATE INDEX ON ${t} (reserved_at) WHERE status = 'reserved'`);
    },
    async apply(client, recorded, { reservations: t }) {
      const event = asEvent<BillingEvent>(recorded);
      const setStatus = (videoId: string, status: string, at: string) =>
        client.query(`UPDATE ${t} SET status = $2, updated_at = $3 WHERE video_id = $1`, [videoId, status, at]);
      switch (event.type) {
        case 'CreditReserved':
          await client.query(
            `INSERT INTO ${t} VALUES ($1, $2, 'reserved', $3, $3)
             ON CONFLICT (video_id) DO UPDATE SET status = 'reserved', reserved_at = $3, updated_at = $3`,
            [event.data.videoId, event.data.userId, event.data.reservedAt],
          );
          return;
        case 'CreditReservationConfirmed':
          return void (await setStatus(event.data.videoId, 'confirmed', event.data.confirmedAt));
        case 'CreditCaptured':
          return void (await setStatus(event.data.videoId, 'captured', event.data.capturedAt));
        case 'CreditReleased':
          return void (await setStatus(event.data.videoId, 'released', event.data.releasedAt));
        case 'AccountOpened':
        case 'CreditsGranted':
        case 'CreditsClawedBack':
          return; // not handled: no hold involved
        default:
          return assertNever(event, 'billing event');
      }
    },
  };
}
