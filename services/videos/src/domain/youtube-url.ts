import { AppError } from '@study-buddy/contracts';

const ID = /^[A-Za-z0-9_-]{11}$/;
const HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'music.youtube.com',
  'youtu.be',
  'www.youtube-nocookie.com',
  'youtube-nocookie.com',
]);

/**
 * The 11-character video id of a YouTube URL, or an `invalid_url` error that
 * says what was wrong. Accepts watch, short-link, shorts, embed and live URLs.
 */
export function parseYouTubeUrl(input: string): { videoId: string; canonicalUrl: string } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new AppError(
      'invalid_url',
      'Not a URL: expected a YouTube link such as https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AppError('invalid_url', 'A YouTube link must use http or https');
  const host = url.hostname.toLowerCase();
  if (!HOSTS.has(host)) throw new AppError('invalid_url', `Not a YouTube link: ${host} is not a YouTube host`);

  let candidate: string | null = null;
  const segments = url.pathname.split('/').filter(Boolean);
  if (host === 'youtu.be') candidate = segments[0] ?? null;
  else if (segments[0] === 'watch') candidate = url.searchParams.get('v');
  else if (['shorts', 'embed', 'live', 'v', 'e'].includes(segments[0] ?? '')) candidate = segments[1] ?? null;

  if (!candidate) throw new AppError('invalid_url', 'This YouTube link does not point to a video (no video id found)');
  if (!ID.test(candidate))
    throw new AppError('invalid_url', `"${candidate.slice(0, 40)}" is not a valid YouTube video id`);
  return { videoId: candidate, canonicalUrl: `https://www.youtube.com/watch?v=${candidate}` };
}
