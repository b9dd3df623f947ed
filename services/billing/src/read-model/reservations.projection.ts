import { assertNever, BillingEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

/**
 * `reservations`: every credit held for a video, so orphaned holds can be found and released.
 * v2: one row per attempt of a video (a retry holds a credit of its own).
 */
export function reservationsProjection(): PostgresProjection<'reservations'> {
  return {
    name: 'reservations',
    version: 2,
    tables: ['reservations'],
    handles: ['CreditReserved', 'CreditReservationConfirmed', 'CreditCaptured', 'CreditReleased'],
    async setup(client, { reservations: t }) {
      await client.query(`CREATE TABLE ${t} (
        video_id uuid NOT NULL,
        attempt integer NOT NULL,
        user_id uuid NOT NULL,
        status text NOT NULL,
        reserved_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (video_id, attempt))`);
      await client.query(`CREATE INDEX ON ${t} (reserved_at) WHERE status = 'reserved'`);
    },
    async apply(client, recorded, { reservations: t }) {
      const event = asEvent<BillingEvent>(recorded);
      const setStatus = (d: { videoId: string; attempt?: number }, status: string, at: string) =>
        client.query(
          prepared(`UPDATE ${t} SET status = $2, updated_at = $3 WHERE video_id = $1 AND attempt = $4`, [
            d.videoId,
            status,
            at,
            d.attempt ?? 1,
          ]),
        );
      switch (event.type) {
        case 'CreditReserved':
          await client.query(
            prepared(
              `INSERT INTO ${t} VALUES ($1, $4, $2, 'reserved', $3, $3)
             ON CONFLICT (video_id, attempt) DO UPDATE SET status = 'reserved', reserved_at = $3, updated_at = $3`,
              [event.data.videoId, event.data.userId, event.data.reservedAt, event.data.attempt ?? 1],
            ),
          );
          return;
        case 'CreditReservationConfirmed':
          return void (await setStatus(event.data, 'confirmed', event.data.confirmedAt));
        case 'CreditCaptured':
          return void (await setStatus(event.data, 'captured', event.data.capturedAt));
        case 'CreditReleased':
          return void (await setStatus(event.data, 'released', event.data.releasedAt));
        case 'AccountOpened':
        case 'CreditsGranted':
        case 'CreditsClawedBack':
        case 'CreditsRestored':
          return; // not handled: no hold involved
        default:
          return assertNever(event, 'billing event');
      }
    },
  };
}
