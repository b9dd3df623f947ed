import { FakeYouTube, startFakeYouTube } from '@study-buddy/testing';
import { parsePlaylistPage, PLAYLIST_UNAVAILABLE, YouTubeClient, YouTubeError } from '../src';

const ids = (n: number, prefix = 'PL') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(11 - prefix.length, '0')}`);

describe('YouTubeClient.playlist against the fake YouTube', () => {
  let yt: FakeYouTube;
  let client: YouTubeClient;

  beforeAll(async () => {
    yt = await startFakeYouTube(
      {},
      {
        playlistPageSize: 10,
        playlists: {
          PLshort: { title: 'Short course', videoIds: ids(3) },
          PLlong: { title: 'Long course', videoIds: ids(25) },
          PLrepeats: { title: 'Repeats', videoIds: [...ids(3), ...ids(2)] },
        },
      },
    );
    client = new YouTubeClient({ baseUrl: yt.url, timeoutMs: 2000 });
  });
  afterAll(() => yt.close());

  it('reads a one-page playlist in order, with its title', async () => {
    const list = await client.playlist('PLshort', { maxVideos: 200 });
    expect(list).toMatchObject({ playlistId: 'PLshort', title: 'Short course', truncated: false });
    expect(list.items.map((i) => i.videoId)).toEqual(ids(3));
    expect(list.items[0]).toEqual({
      videoId: ids(3)[0],
      title: 'Video 1 of Short course',
      durationSeconds: 120,
      playable: true,
    });
  });

  it('follows continuations to the end', async () => {
    const before = yt.browseRequests().length;
    const list = await client.playlist('PLlong', { maxVideos: 200 });
    expect(list.items.map((i) => i.videoId)).toEqual(ids(25));
    expect(list.truncated).toBe(false);
    expect(yt.browseRequests().length - before).toBe(3);
  });

  it('stops at maxVideos without reading further pages', async () => {
    const before = yt.browseRequests().length;
    const list = await client.playlist('PLlong', { maxVideos: 10 });
    expect(list.items.map((i) => i.videoId)).toEqual(ids(10));
    expect(list.truncated).toBe(true);
    expect(yt.browseRequests().length - before).toBe(1);
    expect((await client.playlist('PLlong', { maxVideos: 12 })).items).toHaveLength(12);
  });

  it('lists each video once', async () => {
    expect((await client.playlist('PLrepeats', { maxVideos: 200 })).items.map((i) => i.videoId)).toEqual(ids(3));
  });

  it('is a terminal failure with a plain message for a playlist that does not exist', async () => {
    const error = await client.playlist('PLnothing', { maxVideos: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(YouTubeError);
    expect(error).toMatchObject({ kind: 'unavailable', transient: false, message: PLAYLIST_UNAVAILABLE });
  });
});

describe('parsePlaylistPage', () => {
  it('reads the newer lockupViewModel items too', () => {
    const page = parsePlaylistPage({
      onResponseReceivedActions: [
        {
          appendContinuationItemsAction: {
            continuationItems: [
              {
                lockupViewModel: {
                  contentId: 'abcdefghijk',
                  metadata: { lockupMetadataViewModel: { title: { content: 'A lecture' } } },
                },
              },
              { continuationItemRenderer: { continuationEndpoint: { continuationCommand: { token: 'next' } } } },
            ],
          },
        },
      ],
    });
    expect(page).toEqual({
      title: null,
      items: [{ videoId: 'abcdefghijk', title: 'A lecture', durationSeconds: null, playable: true }],
      continuation: 'next',
    });
  });

  it('refuses a response that is not a playlist', () => {
    expect(() => parsePlaylistPage({ responseContext: {} })).toThrow(YouTubeError);
  });
});
