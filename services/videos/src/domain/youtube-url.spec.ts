import { AppError } from '@study-buddy/contracts';
import { parseYouTubeUrl } from './youtube-url';

describe('parseYouTubeUrl', () => {
  it.each([
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ'],
    ['https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s&list=PL123'],
    ['http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ'],
    ['https://youtu.be/dQw4w9WgXcQ?si=abc'],
    ['https://www.youtube.com/shorts/dQw4w9WgXcQ'],
    ['https://www.youtube.com/embed/dQw4w9WgXcQ'],
    ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
    ['https://www.youtube.com/live/dQw4w9WgXcQ?feature=share'],
    ['https://music.youtube.com/watch?v=dQw4w9WgXcQ'],
    ['  https://www.youtube.com/watch?v=dQw4w9WgXcQ  '],
  ])('reads the id from %s', (url) => {
    expect(parseYouTubeUrl(url)).toEqual({
      videoId: 'dQw4w9WgXcQ',
      canonicalUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    });
  });

  it.each([
    ['not a url', /Not a URL/],
    ['ftp://youtube.com/watch?v=dQw4w9WgXcQ', /http or https/],
    ['https://vimeo.com/123456', /not a YouTube host/],
    ['https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ', /not a YouTube host/],
    ['https://www.youtube.com/channel/UC123', /no video id/],
    ['https://www.youtube.com/watch?v=short', /not a valid YouTube video id/],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ<script>', /not a valid YouTube video id/],
    ['javascript:alert(1)', /http or https/],
  ])('rejects %s', (url, message) => {
    expect(() => parseYouTubeUrl(url)).toThrow(AppError);
    expect(() => parseYouTubeUrl(url)).toThrow(message);
  });
});
