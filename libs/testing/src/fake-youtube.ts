import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Cue, FakePlayability, FakeTrack, FakeYouTubeVideo } from './fake-youtube-videos';

export * from './fake-youtube-videos';

const FIXTURES = join(__dirname, '..', 'fixtures', 'youtube');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;

/** Recorded responses (see fixtures/youtube/README.md) served for the failure modes they show. */
const RECORDED: Record<Exclude<FakePlayability, 'ok' | 'private' | 'members_only' | 'live'>, string> = {
  age_restricted: 'youtube_age_restricted.innertube.json',
  unavailable: 'youtube_video_unavailable.innertube.json',
  unplayable: 'youtube_unplayable.innertube.json',
  blocked: 'youtube_request_blocked.innertube.json',
  captions_disabled: 'youtube_transcripts_disabled.innertube.json',
};
/** The recorded video whose player response and tracks are served unchanged (its tracks answer transcript.xml). */
export const RECORDED_VIDEO_ID = 'GJLlxj_dtq8';

export interface FakeYouTubeRequest {
  method: string;
  path: string;
  videoId: string | null;
  client: string | null;
  lang?: string | null;
  tlang?: string | null;
}

export interface FakeYouTube {
  /** Base URL for YOUTUBE_BASE_URL. */
  url: string;
  requests: FakeYouTubeRequest[];
  playerRequests(videoId: string): FakeYouTubeRequest[];
  captionRequests(videoId: string): FakeYouTubeRequest[];
  /** `GET /vi/<id>/<name>.jpg`: the thumbnail host (i.ytimg.com), re-rooted on the fake. */
  thumbnailRequests(videoId: string): FakeYouTubeRequest[];
  /** Resolves once a caption request for the video is being held. */
  captionHeld(videoId: string): Promise<void>;
  /** Lets held caption requests for the video answer (and later ones answer at once). */
  release(videoId: string): void;
  setVideo(videoId: string, video: FakeYouTubeVideo): void;
  setPlaylist(playlistId: string, playlist: FakePlaylist): void;
  /** `POST /youtubei/v1/browse`: one per playlist page read. */
  browseRequests(): FakeYouTubeRequest[];
  close(): Promise<void>;
}

/**
 * A local YouTube speaking the real wire format: `POST /youtubei/v1/player`
 * (InnerTube JSON, per client) and `GET /api/timedtext` (timedtext XML, or
 * json3 with `fmt=json3`). Player responses are the recorded fixtures, with
 * the scripted video's details and tracks put in. Unknown ids are unavailable.
 */
export async function startFakeYouTube(
  videos: Record<string, FakeYouTubeVideo> = {},
  options: { playlists?: Record<string, FakePlaylist>; playlistPageSize?: number } = {},
): Promise<FakeYouTube> {
  const catalogue = new Map(Object.entries(videos));
  const playlists = new Map(Object.entries(options.playlists ?? {}));
  // YouTube sends 100 videos a page; tests use fewer to see continuations with short lists
  const pageSize = options.playlistPageSize ?? 100;
  const requests: FakeYouTubeRequest[] = [];
  const failures = new Map<string, number>();
  const released = new Set<string>();
  const held = new Map<string, (() => void)[]>();
  const holding = new Map<string, (() => void)[]>();
  const template = json('youtube.innertube.json');
  let base = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, 'text/plain', String(e)));
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'POST' && url.pathname === '/youtubei/v1/player') {
      const body = await readBody(req);
      let parsed: { videoId?: string; context?: { client?: { clientName?: string; clientVersion?: string } } };
      try {
        parsed = JSON.parse(body);
      } catch {
        return send(res, 400, 'application/json', JSON.stringify({ error: { code: 400, message: 'Invalid JSON' } }));
      }
      const client = parsed.context?.client;
      if (!parsed.videoId || !client?.clientName || !client.clientVersion)
        return send(res, 400, 'application/json', JSON.stringify({ error: { code: 400, status: 'INVALID_ARGUMENT' } }));
      requests.push({ method: 'POST', path: url.pathname, videoId: parsed.videoId, client: client.clientName });
      return player(res, parsed.videoId, client.clientName);
    }
    if (req.method === 'POST' && url.pathname === '/youtubei/v1/browse') {
      let parsed: { browseId?: string; continuation?: string; context?: { client?: { clientName?: string } } };
      try {
        parsed = JSON.parse(await readBody(req));
      } catch {
        return send(res, 400, 'application/json', JSON.stringify({ error: { code: 400, message: 'Invalid JSON' } }));
      }
      if (!parsed.context?.client?.clientName || (!parsed.browseId && !parsed.continuation))
        return send(res, 400, 'application/json', JSON.stringify({ error: { code: 400, status: 'INVALID_ARGUMENT' } }));
      const [playlistId, offset] = parsed.continuation
        ? Buffer.from(parsed.continuation, 'base64url').toString('utf8').split(':')
        : [parsed.browseId!.replace(/^VL/, ''), '0'];
      requests.push({ method: 'POST', path: url.pathname, videoId: null, client: parsed.context.client.clientName });
      const playlist = playlists.get(playlistId);
      if (!playlist) return send(res, 200, 'application/json', JSON.stringify(playlistAlert()));
      const body = playlistPage(playlistId, playlist, Number(offset), pageSize, Boolean(parsed.continuation));
      return send(res, 200, 'application/json', JSON.stringify(body));
    }
    if (req.method === 'GET' && url.pathname === '/api/timedtext') {
      const videoId = url.searchParams.get('v');
      const lang = url.searchParams.get('lang');
      const tlang = url.searchParams.get('tlang');
      requests.push({ method: 'GET', path: url.pathname, videoId, client: null, lang, tlang });
      return captions(req, res, videoId ?? '', url.searchParams);
    }
    const thumb = /^\/vi\/([A-Za-z0-9_-]{11})\/[a-z]+\.jpg$/.exec(url.pathname);
    if (req.method === 'GET' && thumb) {
      requests.push({ method: 'GET', path: url.pathname, videoId: thumb[1], client: null });
      // i.ytimg.com answers any id with an image; a fixed one per id is enough here
      const image = fakeThumbnail(thumb[1]);
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': image.length });
      return void res.end(image);
    }
    send(res, 404, 'text/html', '<html><body>404 Not Found</body></html>');
  };

  const player = async (res: ServerResponse, videoId: string, client: string) => {
    const video = catalogue.get(videoId);
    if (videoId === RECORDED_VIDEO_ID && !video) return send(res, 200, 'application/json', JSON.stringify(template));
    if (!video) return send(res, 200, 'application/json', fixture(RECORDED.unavailable));
    const failed = failures.get(videoId) ?? 0;
    if (video.failFirst && failed < video.failFirst.times) {
      failures.set(videoId, failed + 1);
      switch (video.failFirst.with) {
        case 429:
          return send(res, 429, 'text/html; charset=utf-8', fixture('youtube_too_many_requests.html'));
        case 'consent':
          return send(res, 200, 'text/html; charset=utf-8', fixture('youtube_consent_page.html'));
        case 'blocked':
          return send(res, 200, 'application/json', fixture(RECORDED.blocked));
        case 'hang':
          return; // never answers: the client's timeout has to end it
        default:
          return send(res, video.failFirst.with, 'text/html', '<html><body>Server error</body></html>');
      }
    }
    const perClient = video.clients?.[client];
    if (perClient === 'blocked') return send(res, 200, 'application/json', fixture(RECORDED.blocked));
    const body = playerResponse(template, videoId, video, perClient);
    send(res, 200, 'application/json', JSON.stringify(body));
  };

  const captions = async (req: IncomingMessage, res: ServerResponse, videoId: string, query: URLSearchParams) => {
    if (videoId === RECORDED_VIDEO_ID && !catalogue.has(videoId))
      return send(res, 200, 'text/xml; charset=UTF-8', fixture('transcript.xml'));
    const video = catalogue.get(videoId);
    const track = video?.tracks?.find(
      (t) => t.languageCode === query.get('lang') && (t.kind ?? '') === (query.get('kind') ?? ''),
    );
    if (!video || !track) return send(res, 404, 'text/html', '<html><body>404</body></html>');
    if (video.holdCaptions && !released.has(videoId)) {
      await new Promise<void>((resolve) => {
        held.set(videoId, [...(held.get(videoId) ?? []), resolve]);
        req.on('close', resolve);
        for (const notify of holding.get(videoId) ?? []) notify();
        holding.delete(videoId);
      });
      if (res.destroyed) return;
    }
    if (video.emptyCaptions || query.has('exp')) return send(res, 200, 'text/xml; charset=UTF-8', '');
    const tlang = query.get('tlang');
    const cues = tlang ? track.cues.map(([s, d, t]): Cue => [s, d, `[${tlang}] ${t}`]) : track.cues;
    if (query.get('fmt') === 'json3') return send(res, 200, 'application/json', json3(cues));
    send(res, 200, 'text/xml; charset=UTF-8', timedtext(cues));
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    playerRequests: (id) => requests.filter((r) => r.videoId === id && r.method === 'POST'),
    captionRequests: (id) => requests.filter((r) => r.videoId === id && r.path === '/api/timedtext'),
    thumbnailRequests: (id) => requests.filter((r) => r.videoId === id && r.path.startsWith('/vi/')),
    captionHeld: (id) =>
      held.get(id)?.length
        ? Promise.resolve()
        : new Promise((resolve) => holding.set(id, [...(holding.get(id) ?? []), resolve])),
    release(id) {
      released.add(id);
      for (const resolve of held.get(id) ?? []) resolve();
      held.delete(id);
    },
    setVideo: (id, video) => void catalogue.set(id, video),
    setPlaylist: (id, playlist) => void playlists.set(id, playlist),
    browseRequests: () => requests.filter((r) => r.path === '/youtubei/v1/browse'),
    close: async () => {
      for (const id of held.keys()) for (const resolve of held.get(id) ?? []) resolve();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function playerResponse(
  template: Record<string, unknown>,
  videoId: string,
  video: FakeYouTubeVideo,
  perClient: 'po_token' | 'no_captions' | undefined,
): Record<string, unknown> {
  const playability = video.playability ?? 'ok';
  if (playability !== 'ok' && playability in RECORDED) {
    const recorded = json(RECORDED[playability as keyof typeof RECORDED]);
    const details = recorded.videoDetails as Record<string, unknown> | undefined;
    if (details) details.videoId = videoId;
    return recorded;
  }
  const body = structuredClone(template) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (playability === 'private') body.playabilityStatus = { status: 'LOGIN_REQUIRED', reason: 'This video is private' };
  if (playability === 'members_only')
    body.playabilityStatus = {
      status: 'UNPLAYABLE',
      reason: 'Join this channel to get access to members-only content like this video, and other exclusive perks.',
    };
  Object.assign(body.videoDetails, {
    videoId,
    title: video.title ?? `Fake video ${videoId}`,
    author: video.channel ?? 'Fake Channel',
    channelId: 'UCfakechannel0000000000',
    lengthSeconds: String(video.lengthSeconds ?? 120),
    thumbnail: {
      thumbnails: [
        { url: `https://i.ytimg.com/vi/${videoId}/default.jpg`, width: 120, height: 90 },
        { url: `https://i.ytimg.com/vi/${videoId}/hqdefault.jpg`, width: 480, height: 360 },
      ],
    },
    ...(playability === 'live' ? { isLive: true, isLiveContent: true } : {}),
  });
  const tracks = perClient === 'no_captions' ? [] : (video.tracks ?? []);
  if (tracks.length === 0) {
    delete body.captions;
    return body;
  }
  const renderer = body.captions.playerCaptionsTracklistRenderer;
  renderer.captionTracks = tracks.map((t) => trackEntry(videoId, t, perClient === 'po_token'));
  renderer.audioTracks = [
    { captionTrackIndices: tracks.map((_, i) => i), defaultCaptionTrackIndex: 0, hasDefaultTrack: true },
  ];
  renderer.translationLanguages = (video.translationLanguages ?? ['de', 'en', 'es', 'fr', 'nl']).map((code) => ({
    languageCode: code,
    languageName: { runs: [{ text: code }] },
  }));
  return body;
}

/** Caption URLs name www.youtube.com, as the real ones do: the client must re-root them on its base URL. */
function trackEntry(videoId: string, t: FakeTrack, poToken: boolean) {
  const query = new URLSearchParams({ v: videoId, caps: 'asr', opi: '112496729', xoaf: '5', hl: 'en' });
  if (poToken) query.set('exp', 'xpe');
  if (t.kind) query.set('kind', t.kind);
  query.set('lang', t.languageCode);
  query.set('fmt', 'srv3');
  return {
    baseUrl: `https://www.youtube.com/api/timedtext?${query}`,
    name: { runs: [{ text: t.name ?? t.languageCode }] },
    vssId: `${t.kind === 'asr' ? 'a' : ''}.${t.languageCode}`,
    languageCode: t.languageCode,
    ...(t.kind ? { kind: t.kind } : {}),
    isTranslatable: t.translatable ?? true,
    trackName: '',
  };
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const timedtext = (cues: Cue[]) =>
  `<?xml version="1.0" encoding="utf-8" ?><transcript>${cues
    .map(([s, d, t]) => `<text start="${s}" dur="${d}">${escapeXml(t)}</text>`)
    .join('')}</transcript>`;
const json3 = (cues: Cue[]) =>
  JSON.stringify({
    wireMagic: 'pb3',
    events: cues.map(([s, d, t]) => ({
      tStartMs: Math.round(s * 1000),
      dDurationMs: Math.round(d * 1000),
      segs: [{ utf8: t }],
    })),
  });

export interface FakePlaylist {
  title: string;
  /** In playlist order; ids the fake has no video for are still listed (YouTube lists removed ones too). */
  videoIds: string[];
}

/**
 * A WEB browse response for `VL<id>` (the first page: header, tabs, playlistVideoListRenderer) or for a
 * continuation (onResponseReceivedActions), ending in a continuationItemRenderer while more remain.
 */
function playlistPage(id: string, playlist: FakePlaylist, offset: number, size: number, continued: boolean) {
  const slice = playlist.videoIds.slice(offset, offset + size);
  const items: unknown[] = slice.map((videoId, i) => ({
    playlistVideoRenderer: {
      videoId,
      thumbnail: { thumbnails: [{ url: `https://i.ytimg.com/vi/${videoId}/hqdefault.jpg`, width: 480, height: 360 }] },
      title: { runs: [{ text: `Video ${offset + i + 1} of ${playlist.title}` }] },
      index: { simpleText: String(offset + i + 1) },
      shortBylineText: { runs: [{ text: 'Fake Channel' }] },
      lengthText: { simpleText: '2:00' },
      lengthSeconds: '120',
      isPlayable: true,
      navigationEndpoint: { watchEndpoint: { videoId, playlistId: id, index: offset + i } },
    },
  }));
  if (offset + size < playlist.videoIds.length)
    items.push({
      continuationItemRenderer: {
        trigger: 'CONTINUATION_TRIGGER_ON_ITEM_SHOWN',
        continuationEndpoint: {
          continuationCommand: {
            token: Buffer.from(`${id}:${offset + size}`).toString('base64url'),
            request: 'CONTINUATION_REQUEST_TYPE_BROWSE',
          },
        },
      },
    });
  if (continued)
    return {
      responseContext: { visitorData: 'fake' },
      onResponseReceivedActions: [{ appendContinuationItemsAction: { continuationItems: items, targetId: `VL${id}` } }],
    };
  return {
    responseContext: { visitorData: 'fake' },
    contents: {
      twoColumnBrowseResultsRenderer: {
        tabs: [
          {
            tabRenderer: {
              selected: true,
              content: {
                sectionListRenderer: {
                  contents: [
                    {
                      itemSectionRenderer: {
                        contents: [
                          { playlistVideoListRenderer: { contents: items, playlistId: id, isEditable: false } },
                        ],
                      },
                    },
                  ],
                },
              },
            },
          },
        ],
      },
    },
    header: { playlistHeaderRenderer: { playlistId: id, title: { simpleText: playlist.title } } },
    metadata: { playlistMetadataRenderer: { title: playlist.title } },
  };
}

/** What browse answers for a playlist that does not exist (or is private). */
const playlistAlert = () => ({
  responseContext: { visitorData: 'fake' },
  alerts: [{ alertRenderer: { type: 'ERROR', text: { runs: [{ text: 'The playlist does not exist.' }] } } }],
});

/** A JPEG's start-of-image marker, a comment naming the video and the end marker: distinct bytes per video. */
export function fakeThumbnail(videoId: string): Buffer {
  const comment = Buffer.from(`fake thumbnail ${videoId}`);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(comment.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xfe]), length, comment, Buffer.from([0xff, 0xd9])]);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
