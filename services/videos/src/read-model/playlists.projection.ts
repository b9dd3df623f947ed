import { assertNever, PlaylistEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

/** `playlists` and their entries in order; each entry's status comes from the `videos` read model. */
export function playlistsProjection(): PostgresProjection<'playlists' | 'playlist_items'> {
  return {
    name: 'playlists',
    version: 1,
    tables: ['playlists', 'playlist_items'],
    handles: ['PlaylistItemsAdded'],
    async setup(client, { playlists, playlist_items: items }) {
      await client.query(`CREATE TABLE ${playlists} (
        playlist_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        youtube_playlist_id text NOT NULL,
        title text,
        created_at timestamptz NOT NULL)`);
      await client.query(`CREATE TABLE ${items} (
        playlist_id uuid NOT NULL,
        video_id uuid NOT NULL,
        position integer NOT NULL,
        youtube_video_id text NOT NULL,
        PRIMARY KEY (playlist_id, video_id))`);
    },
    async apply(client, recorded, { playlists, playlist_items: items }) {
      const event = asEvent<PlaylistEvent>(recorded);
      switch (event.type) {
        case 'PlaylistItemsAdded': {
          const d = event.data;
          await client.query(
            prepared(
              `INSERT INTO ${playlists} (playlist_id, user_id, youtube_playlist_id, title, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (playlist_id) DO UPDATE SET title = COALESCE($4, ${playlists}.title)`,
              [d.playlistId, d.userId, d.youtubePlaylistId, d.title, d.addedAt],
            ),
          );
          for (const item of d.items)
            await client.query(
              prepared(
                `INSERT INTO ${items} (playlist_id, video_id, position, youtube_video_id) VALUES ($1, $2, $3, $4)
               ON CONFLICT DO NOTHING`,
                [d.playlistId, item.videoId, item.position, item.youtubeVideoId],
              ),
            );
          return;
        }
        default:
          return assertNever(event.type, 'playlist event');
      }
    },
  };
}
