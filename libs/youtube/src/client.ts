import { parseCaptionTrack, Segment } from './captions';
import { ClientName, DEFAULT_CLIENT_ORDER, INNERTUBE_CLIENTS } from './clients';
import { TransientKind, YouTubeError } from './errors';
import { classifyHttpFailure, createHttp, FetchLike, HttpResponse } from './http';
import { assertPlayable, assertTranscriptAvailable, parsePlayerResponse, PlayerInfo } from './player-response';
import { parsePlaylistPage, PlaylistItem } from './playlist';
import { chooseTrack } from './track-choice';

export const DEFAULT_YOUTUBE_BASE_URL = 'https://www.youtube.com';

export interface YouTubeClientOptions {
  /** Where www.youtube.com is; only tests point it elsewhere (a local fake). */
  baseUrl?: string;
  proxyUrl?: string;
  /** Per request, including the body. */
  timeoutMs?: number;
  /** InnerTube clients to try, in order. */
  clients?: ClientName[];
  /** Interface language of the request (`hl`); it names tracks, not which one is chosen. */
  hl?: string;
  fetch?: FetchLike;
}

export interface Thumbnail {
  bytes: Buffer;
  contentType: string;
}

export interface Playlist {
  playlistId: string;
  title: string | null;
  /** In playlist order, each video once, at most `maxVideos`. */
  items: PlaylistItem[];
  /** True when the playlist has more videos than were read. */
  truncated: boolean;
}

/** Pages a playlist is read in at most, whatever `maxVideos` says (YouTube sends about 100 per page). */
const MAX_PLAYLIST_PAGES = 100;

/** At most this much is kept of a thumbnail: YouTube's largest (maxresdefault) is well under it. */
export const MAX_THUMBNAIL_BYTES = 2_000_000;
/** Where player responses put thumbnails. */
const THUMBNAIL_HOSTS = /(^|\.)(ytimg\.com|ggpht\.com|googleusercontent\.com)$/i;

export interface Transcript {
  videoId: string;
  segments: Segment[];
  /** The language of `segments`. */
  languageCode: string;
  kind: 'manual' | 'asr';
  /** When set, YouTube translated the track in this language into `languageCode`. */
  translatedFrom: string | null;
  trackName: string;
  /** The InnerTube client whose caption URL worked. */
  client: ClientName;
  info: PlayerInfo;
}

/** Failures another InnerTube client may not have: its caption URLs or track list differ. Rate limits and bot checks are per IP, so they end the attempt. */
const TRY_NEXT_CLIENT = new Set<string>([
  'po_token_required',
  'empty_captions',
  'unexpected_response',
  'captions_unavailable',
] satisfies (TransientKind | 'captions_unavailable')[]);

/**
 * A thin InnerTube client: the `player` request and the caption track it
 * lists, nothing else. youtubei.js's `getTranscript` (the `/get_transcript`
 * endpoint) fails signed-out, and its hosts are fixed, so the two requests
 * that work are made here, with a base URL tests can point at a fake.
 */
export class YouTubeClient {
  private readonly baseUrl: string;
  private readonly clients: ClientName[];
  private readonly hl: string;
  private readonly http: (url: string, init?: RequestInit) => Promise<HttpResponse>;

  constructor(options: YouTubeClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_YOUTUBE_BASE_URL).replace(/\/+$/, '');
    this.clients = options.clients?.length ? options.clients : DEFAULT_CLIENT_ORDER;
    this.hl = options.hl ?? 'en';
    this.http = createHttp({
      proxyUrl: options.proxyUrl,
      timeoutMs: options.timeoutMs ?? 15_000,
      fetch: options.fetch,
    });
  }

  /** The player response as one client sees it. Throws only for HTTP-level failures; playability is in the result. */
  async player(videoId: string, clientName: ClientName = this.clients[0]): Promise<PlayerInfo> {
    const client = INNERTUBE_CLIENTS[clientName];
    const response = await this.http(`${this.baseUrl}/youtubei/v1/player?prettyPrint=false`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': client.userAgent,
        'x-youtube-client-name': String(client.id),
        'x-youtube-client-version': String(client.context.clientVersion),
        origin: this.baseUrl,
      },
      body: JSON.stringify({
        context: { client: { ...client.context, hl: this.hl, gl: 'US' } },
        videoId,
        // skip the "this video may be upsetting" interstitial, which is not an age check
        contentCheckOk: true,
        racyCheckOk: true,
      }),
    });
    const failed = classifyHttpFailure(response);
    if (failed) throw failed;
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      throw new YouTubeError('unexpected_response', `player answered ${response.contentType || 'no content type'}`);
    }
    return parsePlayerResponse(body, videoId);
  }

  /**
   * What YouTube says about a playable video (title, channel, duration,
   * thumbnail, live status, caption languages), from the first configured
   * client that answers; throws a classified YouTubeError when the video will
   * not play. Captions and live status are reported, not failures, here.
   */
  async info(videoId: string): Promise<PlayerInfo> {
    let fallback: YouTubeError | null = null;
    for (const clientName of this.clients) {
      try {
        const info = await this.player(videoId, clientName);
        assertPlayable(info);
        return info;
      } catch (e) {
        if (!YouTubeError.is(e) || e.kind !== 'unexpected_response') throw e;
        fallback = e;
      }
    }
    throw fallback!;
  }

  /**
   * A playlist's videos in order (InnerTube `browse` as the WEB client, which needs no PO token for it),
   * following continuations until `maxVideos` are read or the list ends.
   */
  async playlist(playlistId: string, options: { maxVideos: number }): Promise<Playlist> {
    const items: PlaylistItem[] = [];
    const seen = new Set<string>();
    let page = parsePlaylistPage(await this.browse({ browseId: `VL${playlistId}` }));
    const title = page.title;
    for (let pages = 1; ; pages++) {
      for (const item of page.items) {
        if (seen.has(item.videoId)) continue;
        seen.add(item.videoId);
        if (items.length === options.maxVideos) return { playlistId, title, items, truncated: true };
        items.push(item);
      }
      if (!page.continuation) return { playlistId, title, items, truncated: false };
      if (items.length === options.maxVideos || pages === MAX_PLAYLIST_PAGES)
        return { playlistId, title, items, truncated: true };
      page = parsePlaylistPage(await this.browse({ continuation: page.continuation }));
    }
  }

  private async browse(request: { browseId: string } | { continuation: string }): Promise<unknown> {
    const client = INNERTUBE_CLIENTS.WEB;
    const response = await this.http(`${this.baseUrl}/youtubei/v1/browse?prettyPrint=false`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': client.userAgent,
        'x-youtube-client-name': String(client.id),
        'x-youtube-client-version': String(client.context.clientVersion),
        origin: this.baseUrl,
      },
      body: JSON.stringify({ context: { client: { ...client.context, hl: this.hl, gl: 'US' } }, ...request }),
    });
    // an unknown or private playlist can answer 400/404 with an alert
    if (response.status !== 400 && response.status !== 404) {
      const failed = classifyHttpFailure(response);
      if (failed) throw failed;
    }
    try {
      return JSON.parse(response.body);
    } catch {
      throw new YouTubeError('unexpected_response', `browse answered ${response.contentType || 'no content type'}`);
    }
  }

  /**
   * The image behind a player response's thumbnail URL, through the same proxy and timeouts. Only
   * YouTube's image hosts are fetched; with a base URL other than YouTube's (a local fake) the URL is
   * re-rooted on it, as caption URLs are, so tests never leave the machine.
   */
  async thumbnail(raw: string): Promise<Thumbnail> {
    let listed: URL;
    try {
      listed = new URL(raw);
    } catch {
      throw new YouTubeError('unexpected_response', 'thumbnail URL is not a URL');
    }
    if (!/^https?:$/.test(listed.protocol) || !THUMBNAIL_HOSTS.test(listed.hostname))
      throw new YouTubeError('unexpected_response', `thumbnail URL on ${listed.hostname}`);
    const url =
      this.baseUrl === DEFAULT_YOUTUBE_BASE_URL ? listed : new URL(listed.pathname + listed.search, this.baseUrl);
    const response = await this.http(url.toString(), { headers: { 'user-agent': INNERTUBE_CLIENTS.WEB.userAgent } });
    const failed = classifyHttpFailure(response);
    if (failed) throw failed;
    const contentType = response.contentType.split(';')[0].trim().toLowerCase();
    if (!/^image\/(jpeg|png|webp)$/.test(contentType))
      throw new YouTubeError('unexpected_response', `thumbnail answered ${contentType || 'no content type'}`);
    if (response.bytes.length === 0 || response.bytes.length > MAX_THUMBNAIL_BYTES)
      throw new YouTubeError('unexpected_response', `thumbnail of ${response.bytes.length} bytes`);
    return { bytes: response.bytes, contentType };
  }

  /**
   * The video's captions as timestamped segments, in the requested language
   * when YouTube has it (or can translate into it), else in the video's own.
   * Tries the configured clients in order; throws a classified YouTubeError.
   */
  async transcript(videoId: string, options: { language?: string | null } = {}): Promise<Transcript> {
    let fallback: YouTubeError | null = null;
    for (const clientName of this.clients) {
      try {
        return await this.transcriptFrom(clientName, videoId, options.language ?? null);
      } catch (e) {
        if (!YouTubeError.is(e) || !TRY_NEXT_CLIENT.has(e.kind)) throw e;
        // A transient reason beats "no captions": a blocked client often just lists none.
        if (!fallback || (e.transient && !fallback.transient)) fallback = e;
      }
    }
    throw fallback ?? new YouTubeError('captions_unavailable');
  }

  private async transcriptFrom(clientName: ClientName, videoId: string, language: string | null): Promise<Transcript> {
    const info = await this.player(videoId, clientName);
    assertTranscriptAvailable(info);
    const choice = chooseTrack(info, language);
    if (!choice) throw new YouTubeError('captions_unavailable');
    // These URLs need a PO token and answer an empty 200 without one.
    if (/[?&]exp=xpe\b/.test(choice.track.baseUrl)) throw new YouTubeError('po_token_required', clientName);
    const url = this.captionUrl(choice.track.baseUrl, choice.translateTo);
    const response = await this.http(url, { headers: { 'user-agent': INNERTUBE_CLIENTS[clientName].userAgent } });
    const failed = classifyHttpFailure(response);
    if (failed) throw failed;
    return {
      videoId,
      segments: parseCaptionTrack(response.body),
      languageCode: choice.languageCode,
      kind: choice.track.kind,
      translatedFrom: choice.translateTo ? choice.track.languageCode : null,
      trackName: choice.track.name,
      client: clientName,
      info,
    };
  }

  /**
   * Caption URLs are absolute www.youtube.com URLs; they are re-rooted on the
   * configured base URL (so a fake serves them in tests) and any other host is
   * refused, so a response can never send the processor elsewhere.
   */
  private captionUrl(raw: string, translateTo: string | null): string {
    let listed: URL;
    try {
      listed = new URL(raw, this.baseUrl);
    } catch {
      throw new YouTubeError('unexpected_response', 'caption URL is not a URL');
    }
    const base = new URL(this.baseUrl);
    if (listed.origin !== base.origin && !/(^|\.)youtube\.com$/i.test(listed.hostname))
      throw new YouTubeError('unexpected_response', `caption URL on ${listed.hostname}`);
    const url = new URL(listed.pathname + listed.search, base);
    url.searchParams.delete('fmt'); // the default timedtext XML, with start and duration in seconds
    if (translateTo) url.searchParams.set('tlang', translateTo);
    return url.toString();
  }
}
