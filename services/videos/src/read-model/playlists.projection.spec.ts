import { randomUUID } from 'node:crypto';
import { Projector } from '@study-buddy/event-store';
import { projectionSpec, ProjectionSpec } from '@study-buddy/service-testing';
import { playlistStream } from '../domain/playlist.decider';
import { videoStream } from '../domain/video.decider';
import { playlistsProjectorBeside } from '../testing/playlists-read';
import { PlaylistsQueries } from './playlists.queries';
import { videosProjection } from './videos.projection';

/**
 * Playlists on the real PostgreSQL, every handled event type in. Each entry's status comes from the
 * videos projection, which runs beside it and may be behind: the spec moves the two apart on purpose.
 */
describe('playlists projection', () => {
  let videosRead: ProjectionSpec;
  let playlists: Projector;
  let queries: PlaylistsQueries;
  const userId = randomUUID();
  const playlistId = randomUUID();
  const [first, second] = [randomUUID(), randomUUID()];
  const at = '2026-12-04T10:00:00.000Z';

  beforeEach(async () => {
    videosRead = await projectionSpec(videosProjection);
    playlists = await playlistsProjectorBeside(videosRead);
    queries = new PlaylistsQueries(videosRead.pool, videosRead.schema);
  });
  afterEach(() => videosRead.close());

  const submitted = (videoId: string, youtubeVideoId: string) => ({
    stream: videoStream(videoId),
    type: 'VideoSubmitted',
    data: { videoId, userId, youtubeVideoId, url: `https://youtu.be/${youtubeVideoId}`, submittedAt: at },
  });
  const deleted = (videoId: string) => ({
    stream: videoStream(videoId),
    type: 'VideoDeleted',
    data: { videoId, userId, attempt: 1, deletedAt: at },
  });
  const statuses = async () => (await queries.get(userId, playlistId))?.items.map((i) => [i.position, i.status]);

  it('shows a video the videos read model does not have yet as queued, and a deleted one as deleted', async () => {
    await videosRead.given([
      submitted(first, 'plvideo0001'),
      submitted(second, 'plvideo0002'),
      {
        stream: playlistStream(playlistId),
        type: 'PlaylistItemsAdded',
        data: {
          playlistId,
          userId,
          youtubePlaylistId: 'PLcourse',
          title: 'A course',
          items: [
            { position: 0, videoId: first, youtubeVideoId: 'plvideo0001' },
            { position: 1, videoId: second, youtubeVideoId: 'plvideo0002' },
          ],
          addedAt: at,
        },
      },
    ]);
    // the playlist is projected, its videos are not yet
    await playlists.catchUp();
    expect(await statuses()).toEqual([
      [0, 'queued'],
      [1, 'queued'],
    ]);

    await videosRead.given([deleted(second)]);
    await Promise.all([videosRead.catchUp(), playlists.catchUp()]);
    expect(await statuses()).toEqual([
      [0, 'queued'],
      [1, 'deleted'],
    ]);
    expect((await queries.get(userId, playlistId))?.counts).toEqual({ queued: 1, deleted: 1 });

    // submitted again (the same id): no longer deleted, even before the videos read model shows it
    await videosRead.given([submitted(second, 'plvideo0002')]);
    await playlists.catchUp();
    expect(await statuses()).toEqual([
      [0, 'queued'],
      [1, 'queued'],
    ]);
    expect(await queries.get(randomUUID(), playlistId)).toBeNull();
  });
});
