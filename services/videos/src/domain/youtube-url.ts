import { AppError } from '@study-buddy/contracts';

const ID = /^[A-Za-z0-9_-]{11}$/;
const EXAMPLE = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
const SHORT_HOST = 'youtu.be';
const HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'music.youtube.com',
  'youtube-nocookie.com',
  'www.youtube-nocookie.com',
  SHORT_HOST,
  'www.youtu.be',
]);
/** Path prefixes whose next segment is the video id. */
const ID_PATHS = new Set(['shorts', 'embed', 'live', 'v', 'e', 'watch']);
const CHANNEL_PATHS = new Set(['channel', 'c', 'user']);

const invalid = (message: string) => new AppError('invalid_url', message);

/**
 * The 11-character video id of a YouTube link, or an `invalid_url` error that
 * says what was wrong. Accepts what users copy from a browser, the app or a
 * share sheet: with or without scheme, any YouTube host, watch / shorts /
 * embed / live / v links, `v=` anywhere in the query, and extra parameters
 * (timestamps, `si=`, `feature=`, `list=`).
 */
export function parseYouTubeUrl(input: string): { videoId: string; canonicalUrl: string } {
  const url = toUrl(input.trim());
  const host = url.hostname.toLowerCase();
  if (!HOSTS.has(host)) throw invalid(`Not a YouTube link: ${host || 'the address'} is not a YouTube host`);

  const segments = url.pathname.split('/').filter(Boolean);
  const first = (segments[0] ?? '').toLowerCase();
  let candidate: string | null;
  if (host === SHORT_HOST || host === 'www.youtu.be') candidate = segments[0] ?? null;
  else if (first === 'watch' && !segments[1]) candidate = url.searchParams.get('v');
  else if (ID_PATHS.has(first)) candidate = segments[1] ?? null;
  else candidate = url.searchParams.get('v');

  if (!candidate) {
    if (first === 'playlist' || url.searchParams.has('list'))
      throw invalid('This is a playlist link, not a video: open one video of the playlist and copy its link');
    if (CHANNEL_PATHS.has(first) || first.startsWith('@'))
      throw invalid('This is a channel link, not a video: open one of its videos and copy that link');
    throw invalid(
      `This YouTube link does not point to a video (no video id found); expected a link such as ${EXAMPLE}`,
    );
  }
  if (!ID.test(candidate))
    throw invalid(`"${candidate.slice(0, 40)}" is not a valid YouTube video id (11 letters, digits, "-" or "_")`);
  return { videoId: candidate, canonicalUrl: `https://www.youtube.com/watch?v=${candidate}` };
}

/** Playlist ids: `PL…`, `UU…`, `OL…` and the like; the mixes YouTube makes per viewer (`RD…`) cannot be listed. */
const PLAYLIST_ID = /^[A-Za-z0-9_-]{2,64}$/;

/**
 * The playlist id of a YouTube link (`list=` on a playlist or watch link), or an `invalid_url` error
 * that says what was wrong.
 */
export function parsePlaylistUrl(input: string): { playlistId: string; canonicalUrl: string } {
  const url = toUrl(input.trim());
  const host = url.hostname.toLowerCase();
  if (!HOSTS.has(host)) throw invalid(`Not a YouTube link: ${host || 'the address'} is not a YouTube host`);
  const list = url.searchParams.get('list');
  if (!list)
    throw invalid(
      'This YouTube link has no playlist (no list= parameter); expected a link such as https://www.youtube.com/playlist?list=PL…',
    );
  if (!PLAYLIST_ID.test(list)) throw invalid(`"${list.slice(0, 40)}" is not a valid YouTube playlist id`);
  if (/^RD/.test(list))
    throw invalid('This is a YouTube mix, made for each viewer: it cannot be submitted as a playlist');
  return { playlistId: list, canonicalUrl: `https://www.youtube.com/playlist?list=${list}` };
}

/** Parses with or without a scheme; only http(s) links are accepted. */
function toUrl(text: string): URL {
  if (!text) throw invalid(`Not a URL: expected a YouTube link such as ${EXAMPLE}`);
  // "youtube.com:443/…" has a port, not a scheme; "javascript:…" has a scheme.
  const scheme = /^([a-z][a-z0-9+.-]*):(?!\d)/i.exec(text)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https') throw invalid('A YouTube link must use http or https');
  const withScheme = scheme ? text : `https://${text.replace(/^\/\//, '')}`;
  try {
    const url = new URL(withScheme);
    if (!url.hostname.includes('.')) throw new Error('no host');
    return url;
  } catch {
    throw invalid(`Not a URL: expected a YouTube link such as ${EXAMPLE}`);
  }
}
