import { Pool } from 'pg';
import { PlaylistView, VideoStatus } from '@study-buddy/contracts';
import { quoteIdent } from '@study-buddy/event-store';

interface ItemRow {
  position: number;
  video_id: string;
  youtube_video_id: string;
  title: string | null;
  status: VideoStatus | null;
  deleted: boolean;
}

/** Reads of the `playlists` projection, each entry with its video's status from `videos`; scoped to the caller. */
export class PlaylistsQueries {
  private readonly schema: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.schema = quoteIdent(schema);
  }

  async get(userId: string, playlistId: string): Promise<PlaylistView | null> {
    const { rows } = await this.pool.query<{
      playlist_id: string;
      youtube_playlist_id: string;
      title: string | null;
      created_at: Date;
    }>(`SELECT * FROM ${this.schema}.playlists WHERE playlist_id = $1 AND user_id = $2`, [playlistId, userId]);
    const playlist = rows[0];
    if (!playlist) return null;
    const items = await this.pool.query<ItemRow>(
      `SELECT i.position, i.video_id, i.youtube_video_id, i.deleted, v.title, v.status
       FROM ${this.schema}.playlist_items i LEFT JOIN ${this.schema}.videos v ON v.video_id = i.video_id
       WHERE i.playlist_id = $1 ORDER BY i.position`,
      [playlistId],
    );
    const counts: Record<string, number> = {};
    const entries = items.rows.map((r) => {
      // a deleted video's row is gone from `videos`; one not there yet was just submitted
      const status = r.status ?? (r.deleted ? 'deleted' : 'queued');
      counts[status] = (counts[status] ?? 0) + 1;
      return { position: r.position, videoId: r.video_id, youtubeVideoId: r.youtube_video_id, title: r.title, status };
    });
    return {
      playlistId: playlist.playlist_id,
      youtubePlaylistId: playlist.youtube_playlist_id,
      title: playlist.title,
      createdAt: playlist.created_at.toISOString(),
      items: entries,
      counts,
    };
  }
}
