import { createServer, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { FakeYouTube, fakeThumbnail, RECORDED_VIDEO_ID, SCRIPTED_VIDEOS, startFakeYouTube } from '@study-buddy/testing';
import { YouTubeClient, YouTubeError } from '../src';

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof YouTubeError) return { kind: e.kind, transient: e.transient, message: e.message };
    throw e;
  }
  throw new Error('expected a YouTubeError');
};

describe('YouTubeClient against the fake YouTube', () => {
  let yt: FakeYouTube;
  let client: YouTubeClient;
  const track = { languageCode: 'en', name: 'English', cues: SCRIPTED_VIDEOS.MANUAL2LANG.tracks[0].cues };

  beforeAll(async () => {
    yt = await startFakeYouTube({
      ...SCRIPTED_VIDEOS,
      POTOKENVR00: { clients: { ANDROID_VR: 'po_token' }, tracks: [track] },
      POTOKENALL0: { clients: { ANDROID_VR: 'po_token', IOS: 'po_token', ANDROID: 'po_token' }, tracks: [track] },
      NOTRACKSVR0: { clients: { ANDROID_VR: 'no_captions' }, tracks: [track] },
      BLOCKEDVR00: { clients: { ANDROID_VR: 'blocked', IOS: 'no_captions', ANDROID: 'no_captions' }, tracks: [track] },
      CONSENT0000: { failFirst: { times: 1, with: 'consent' }, tracks: [track] },
      SERVERERR00: { failFirst: { times: 1, with: 503 }, tracks: [track] },
      HANGING0000: { failFirst: { times: 1, with: 'hang' }, tracks: [track] },
      EMPTYCAPS00: { emptyCaptions: true, tracks: [track] },
      PRIVATE0000: { playability: 'private' },
      MEMBERS0000: { playability: 'members_only', tracks: [track] },
      LIVENOW0000: { playability: 'live', tracks: [track] },
      BLOCKED0000: { playability: 'blocked' },
      NOTRANSLATE: { tracks: [{ ...track, translatable: false }] },
    });
    client = new YouTubeClient({ baseUrl: yt.url, timeoutMs: 2000 });
  });
  afterAll(() => yt.close());

  it('reads the manual track in the video language, with timestamps, from the first client', async () => {
    const t = await client.transcript('MANUAL2LANG');
    expect(t).toMatchObject({ languageCode: 'en', kind: 'manual', translatedFrom: null, client: 'ANDROID_VR' });
    expect(t.segments[0]).toEqual({ start: 3, duration: 6.5, text: expect.stringMatching(/^Today we are going/) });
    expect(t.info).toMatchObject({ title: 'Photosynthesis explained', channel: 'Study Channel', durationSeconds: 110 });
    expect(yt.captionRequests('MANUAL2LANG').at(-1)).toMatchObject({ lang: 'en', tlang: null });
  });

  it('fetches the thumbnail the player response names, re-rooted on the base URL', async () => {
    const info = await client.info('MANUAL2LANG');
    expect(info.thumbnailUrl).toBe('https://i.ytimg.com/vi/MANUAL2LANG/hqdefault.jpg');
    const thumb = await client.thumbnail(info.thumbnailUrl!);
    expect(thumb).toEqual({ bytes: fakeThumbnail('MANUAL2LANG'), contentType: 'image/jpeg' });
    expect(yt.thumbnailRequests('MANUAL2LANG')).toHaveLength(1);
  });

  it('refuses thumbnails on hosts that are not YouTube image hosts', async () => {
    expect(await failure(client.thumbnail('https://evil.example/vi/MANUAL2LANG/hqdefault.jpg'))).toMatchObject({
      kind: 'unexpected_response',
    });
    expect(await failure(client.thumbnail('not a url'))).toMatchObject({ kind: 'unexpected_response' });
  });

  it('reads the requested language when the video has it', async () => {
    const t = await client.transcript('MANUAL2LANG', { language: 'de' });
    expect(t).toMatchObject({ languageCode: 'de', kind: 'manual', translatedFrom: null });
    expect(t.segments[0].text).toMatch(/^Heute sprechen wir/);
  });

  it('asks YouTube to translate when only another language exists', async () => {
    const t = await client.transcript('MANUAL2LANG', { language: 'fr' });
    expect(t).toMatchObject({ languageCode: 'fr', kind: 'manual', translatedFrom: 'en' });
    expect(t.segments[0].text).toMatch(/^\[fr\] Today/);
  });

  it('falls back to the video language when the track cannot be translated', async () => {
    expect(await client.transcript('NOTRANSLATE', { language: 'fr' })).toMatchObject({ languageCode: 'en' });
  });

  it('uses automatic captions when there are no others', async () => {
    const t = await client.transcript('AUTOCAPONLY');
    expect(t).toMatchObject({ languageCode: 'en', kind: 'asr', trackName: 'English (auto-generated)' });
  });

  it('reads the recorded video and its recorded timedtext', async () => {
    const t = await client.transcript(RECORDED_VIDEO_ID);
    expect(t).toMatchObject({ languageCode: 'en', kind: 'manual' });
    expect(t.segments.map((s) => s.text)).toEqual([
      'Hey, this is just a test',
      'this is not the original transcript',
      'just something shorter, I made up for testing',
    ]);
  });

  it('skips a client whose caption URLs need a PO token', async () => {
    expect(await client.transcript('POTOKENVR00')).toMatchObject({ client: 'IOS' });
    // the exp=xpe URL is never fetched: it answers empty anyway
    expect(yt.captionRequests('POTOKENVR00')).toHaveLength(1);
  });

  it('skips a client that lists no captions', async () => {
    expect(await client.transcript('NOTRACKSVR0')).toMatchObject({ client: 'IOS' });
  });

  it('tries the clients in the configured order', async () => {
    const ordered = new YouTubeClient({ baseUrl: yt.url, clients: ['IOS', 'ANDROID_VR'] });
    await ordered.transcript('AUTOCAPONLY');
    expect(yt.playerRequests('AUTOCAPONLY').at(-1)?.client).toBe('IOS');
  });

  it.each([
    ['AGERESTRICT', 'age_restricted', /age-restricted/],
    ['UNAVAILABLE', 'unavailable', /unavailable/],
    ['NOPE0000000', 'unavailable', /unavailable/],
    ['NOCAPTIONS0', 'captions_unavailable', /no captions in any language/],
    ['PRIVATE0000', 'private', /private/],
    ['MEMBERS0000', 'members_only', /members only/],
    ['LIVENOW0000', 'live_not_finished', /live stream that has not finished/],
  ])('%s fails for good: %s', async (id, kind, message) => {
    const before = yt.playerRequests(id).length;
    expect(await failure(client.transcript(id))).toEqual({
      kind,
      transient: false,
      message: expect.stringMatching(message),
    });
    if (kind !== 'captions_unavailable') expect(yt.playerRequests(id).length - before).toBe(1); // no other client tried
  });

  it.each([
    ['BLOCKED0000', 'blocked', /bot check/],
    ['POTOKENALL0', 'po_token_required', /proof-of-origin/],
    ['EMPTYCAPS00', 'empty_captions', /empty caption track/],
    ['CONSENT0000', 'consent_required', /consent/],
    ['SERVERERR00', 'server_error', /server error/],
    ['HANGING0000', 'timeout', /too long/],
  ])('%s fails for now: %s', async (id, kind, message) => {
    expect(await failure(client.transcript(id))).toEqual({
      kind,
      transient: true,
      message: expect.stringMatching(message),
    });
  });

  it('a bot check on one client beats "no captions" on the others', async () => {
    expect(await failure(client.transcript('BLOCKEDVR00'))).toMatchObject({ kind: 'blocked', transient: true });
  });

  it('HTTP 429 twice, then the video: transient twice, then the transcript', async () => {
    expect(await failure(client.transcript('RATELIMIT02'))).toMatchObject({ kind: 'rate_limited', transient: true });
    expect(await failure(client.transcript('RATELIMIT02'))).toMatchObject({ kind: 'rate_limited' });
    expect(await client.transcript('RATELIMIT02')).toMatchObject({ languageCode: 'en', kind: 'manual' });
    // a rate limit is per IP: the other clients are not tried against it
    expect(yt.playerRequests('RATELIMIT02').map((r) => r.client)).toEqual(['ANDROID_VR', 'ANDROID_VR', 'ANDROID_VR']);
  });

  describe('info (for the video-info endpoint)', () => {
    it('reads the details of a playable video, whatever its captions', async () => {
      expect(await client.info('MANUAL2LANG')).toMatchObject({
        videoId: 'MANUAL2LANG',
        title: 'Photosynthesis explained',
        channel: 'Study Channel',
        channelId: expect.any(String),
        durationSeconds: 110,
        thumbnailUrl: 'https://i.ytimg.com/vi/MANUAL2LANG/hqdefault.jpg',
        isLive: false,
        captionTracks: [
          expect.objectContaining({ languageCode: 'en', kind: 'manual' }),
          expect.objectContaining({ languageCode: 'de', kind: 'manual' }),
          expect.objectContaining({ languageCode: 'en', kind: 'asr' }),
        ],
      });
      expect((await client.info('NOCAPTIONS0')).captionTracks).toEqual([]);
      expect(await client.info('LIVENOW0000')).toMatchObject({ isLive: true });
    });

    it('classifies a video that will not play', async () => {
      expect(await failure(client.info('AGERESTRICT'))).toMatchObject({ kind: 'age_restricted', transient: false });
      expect(await failure(client.info('BLOCKED0000'))).toMatchObject({ kind: 'blocked', transient: true });
    });
  });

  it('an unreachable YouTube is a transient network failure', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const offline = new YouTubeClient({ baseUrl: `http://127.0.0.1:${port}` });
    expect(await failure(offline.transcript('MANUAL2LANG'))).toMatchObject({ kind: 'network', transient: true });
  });

  describe('through YOUTUBE_PROXY_URL', () => {
    let proxy: Server;
    const tunnels: string[] = [];
    beforeAll(async () => {
      // A CONNECT proxy, as corporate and residential proxies are: it only ever sees host:port.
      proxy = createServer();
      proxy.on('connect', (req, socket, head) => {
        tunnels.push(req.url ?? '');
        const [host, port] = (req.url ?? '').split(':');
        const upstream = connect(Number(port), host, () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head);
          upstream.pipe(socket).pipe(upstream);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    });

    it('sends the player and the caption requests through the proxy', async () => {
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const viaProxy = new YouTubeClient({ baseUrl: yt.url, proxyUrl });
      expect(await viaProxy.transcript('AUTOCAPONLY')).toMatchObject({ kind: 'asr' });
      expect(tunnels.length).toBeGreaterThan(0);
      expect(new Set(tunnels)).toEqual(new Set([new URL(yt.url).host]));
    });
  });
});
