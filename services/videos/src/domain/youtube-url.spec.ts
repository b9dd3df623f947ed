import { AppError } from '@study-buddy/contracts';
import { parsePlaylistUrl, parseYouTubeUrl } from './youtube-url';

const ID = 'dQw4w9WgXcQ';

describe('parseYouTubeUrl', () => {
  it.each([
    // browsers
    [`https://www.youtube.com/watch?v=${ID}`],
    [`http://www.youtube.com/watch?v=${ID}`],
    [`https://youtube.com/watch?v=${ID}`],
    [`https://WWW.YouTube.com/watch?v=${ID}`],
    [`https://www.youtube.com/watch?v=${ID}&t=42s`],
    [`https://www.youtube.com/watch?v=${ID}&t=1h2m3s`],
    [`https://www.youtube.com/watch?v=${ID}#t=90`],
    [`https://www.youtube.com/watch?feature=share&v=${ID}`],
    [`https://www.youtube.com/watch?app=desktop&v=${ID}&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG&index=3`],
    [`https://www.youtube.com/watch?v=${ID}&ab_channel=RickAstley`],
    [`https://www.youtube.com/watch/?v=${ID}`],
    [`https://www.youtube.com/watch/${ID}`],
    [`https://www.youtube.com/?v=${ID}`],
    [`https://www.youtube.com:443/watch?v=${ID}`],
    // other hosts
    [`https://m.youtube.com/watch?v=${ID}&feature=youtu.be`],
    [`https://music.youtube.com/watch?v=${ID}&si=XyZ123`],
    [`https://www.youtube-nocookie.com/embed/${ID}?rel=0`],
    [`https://youtube-nocookie.com/embed/${ID}`],
    // share sheets and the app
    [`https://youtu.be/${ID}`],
    [`https://youtu.be/${ID}?si=AbCdEfGh12345678`],
    [`https://youtu.be/${ID}?t=30`],
    [`https://www.youtu.be/${ID}`],
    [`https://youtube.com/shorts/${ID}?si=AbCd`],
    [`https://www.youtube.com/shorts/${ID}`],
    [`https://www.youtube.com/live/${ID}?feature=share`],
    [`https://www.youtube.com/embed/${ID}?start=10&autoplay=1`],
    [`https://www.youtube.com/v/${ID}?version=3`],
    [`https://www.youtube.com/e/${ID}`],
    // without scheme, stray whitespace
    [`youtube.com/watch?v=${ID}`],
    [`www.youtube.com/watch?v=${ID}`],
    [`m.youtube.com/watch?v=${ID}`],
    [`youtu.be/${ID}`],
    [`//www.youtube.com/watch?v=${ID}`],
    [`  https://www.youtube.com/watch?v=${ID}  `],
    [`\nyoutu.be/${ID}\t`],
  ])('reads the id from %s', (url) => {
    expect(parseYouTubeUrl(url)).toEqual({ videoId: ID, canonicalUrl: `https://www.youtube.com/watch?v=${ID}` });
  });

  it.each([
    ['https://www.youtube.com/watch?v=a-b_C1d2E3f', 'a-b_C1d2E3f'],
    ['https://youtu.be/_-_-_-_-_-_', '_-_-_-_-_-_'],
  ])('keeps the id exactly as written in %s', (url, id) => {
    expect(parseYouTubeUrl(url).videoId).toBe(id);
  });

  it.each([
    ['', /Not a URL/],
    ['not a url', /Not a URL/],
    ['dQw4w9WgXcQ', /Not a URL/],
    [`ftp://youtube.com/watch?v=${ID}`, /http or https/],
    ['javascript:alert(1)', /http or https/],
    [`data:text/html,youtube.com/watch?v=${ID}`, /http or https/],
    ['https://vimeo.com/123456', /not a YouTube host/],
    [`https://youtube.com.evil.example/watch?v=${ID}`, /not a YouTube host/],
    [`https://notyoutube.com/watch?v=${ID}`, /not a YouTube host/],
    [`https://youtube.co/watch?v=${ID}`, /not a YouTube host/],
    [`https://youtu.be.evil.example/${ID}`, /not a YouTube host/],
    [`https://www.youtube.com@evil.example/watch?v=${ID}`, /not a YouTube host/],
    [`https://evil.example/?u=https://www.youtube.com/watch?v=${ID}`, /not a YouTube host/],
    [`https://www.youtube.com.`, /not a YouTube host/],
    ['https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG', /playlist link, not a video/],
    ['https://www.youtube.com/watch?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG', /playlist link, not a video/],
    ['https://music.youtube.com/playlist?list=OLAK5uy_abc', /playlist link, not a video/],
    ['https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw', /channel link, not a video/],
    ['https://www.youtube.com/@RickAstleyYT', /channel link, not a video/],
    ['https://www.youtube.com/c/RickAstley', /channel link, not a video/],
    ['https://www.youtube.com/user/RickAstleyVEVO', /channel link, not a video/],
    ['https://www.youtube.com/', /no video id/],
    ['https://youtu.be/', /no video id/],
    ['https://www.youtube.com/feed/subscriptions', /no video id/],
    ['https://www.youtube.com/watch?v=', /no video id/],
    ['https://www.youtube.com/shorts/', /no video id/],
    ['https://www.youtube.com/watch?v=short', /not a valid YouTube video id/],
    [`https://www.youtube.com/watch?v=${ID}X`, /not a valid YouTube video id/],
    [`https://www.youtube.com/watch?v=${ID}<script>`, /not a valid YouTube video id/],
    ['https://youtu.be/dQw4w9WgXc!', /not a valid YouTube video id/],
    ['https://www.youtube.com/embed/dQw4w9WgXc%20', /not a valid YouTube video id/],
    ['https://www.youtube.com/shorts/dQw4w9WgXcQQQ', /not a valid YouTube video id/],
  ])('rejects %j', (url, message) => {
    expect(() => parseYouTubeUrl(url)).toThrow(AppError);
    expect(() => parseYouTubeUrl(url)).toThrow(message);
  });
});

describe('parsePlaylistUrl', () => {
  it.each([
    ['https://www.youtube.com/playlist?list=PLabc123_-', 'PLabc123_-'],
    ['youtube.com/playlist?list=PLabc123&si=x', 'PLabc123'],
    ['https://m.youtube.com/watch?v=dQw4w9WgXcQ&list=PLxyz&index=3', 'PLxyz'],
    ['https://youtu.be/dQw4w9WgXcQ?list=PLshort', 'PLshort'],
  ])('%s → %s', (input, playlistId) =>
    expect(parsePlaylistUrl(input)).toEqual({
      playlistId,
      canonicalUrl: `https://www.youtube.com/playlist?list=${playlistId}`,
    }),
  );
  it.each([
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', /no playlist/],
    ['https://example.com/playlist?list=PLabc', /not a YouTube host/],
    ['https://www.youtube.com/playlist?list=PL<script>', /not a valid YouTube playlist id/],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=RDdQw4w9WgXcQ', /mix/],
  ])('refuses %s', (input, message) => expect(() => parsePlaylistUrl(input)).toThrow(message));
});
