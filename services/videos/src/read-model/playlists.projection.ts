import { assertNever, PlaylistEvent, VideosEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

/**
 * `playlists` and their entries in order; each entry's status comes from the `videos` read model, and
 * whether its video was deleted from here (v2): a video `videos` does not show yet is a new one, not a
 * deleted one.
 */
export function playlistsProjection(): PostgresProjection<'playlists' | 'playlist_items'> {
  return {
    name: 'playlists',
    version: 2,
    tables: ['playlists', 'playlist_items'],
    handles: ['PlaylistItemsAdded', 'VideoSubmitted', 'VideoDeleted'],
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
        deleted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (playlist_id, video_id))`);
    },
    async apply(client, recorded, { playlists, playlist_items: items }) {
      const event = asEvent<PlaylistEvent | VideosEvent>(recorded);
      const markDeleted = (videoId: string, deleted: boolean) =>
        client.query(
          prepared(`UPDATE ${items} SET deleted = $2 WHERE video_id = $1 AND deleted <> $2`, [videoId, deleted]),
        );
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
        case 'VideoDeleted':
          await markDeleted(event.data.videoId, true);
          return;
        // submitted again after it was deleted (the same id: it derives from the user and the YouTube video)
        case 'VideoSubmitted':
          await markDeleted(event.data.videoId, false);
          return;
        case 'VideoProgressed':
        case 'VideoCompleted':
        case 'VideoFailed':
        case 'VideoCancelled':
        case 'VideoUsageRecorded':
        case 'VideoInfoRecorded':
        case 'VideoNoteDeleted':
          return; // not in `handles`: the status comes from `videos`
        default:
          return assertNever(event, 'playlist event');
      }
    },
  };
}
