import { FakeYouTube, SCRIPTED_VIDEOS, startFakeYouTube } from '@study-buddy/testing';
import { youtubeClientFrom } from '@study-buddy/youtube';
import { processorEnvSchema } from '../../config';
import { PipelineError, TransientFailure } from '../../domain/pipeline-error';
import { YouTubeTranscriptSource } from './youtube-transcript-source';

describe('YouTubeTranscriptSource (the real client against the fake YouTube)', () => {
  let yt: FakeYouTube;
  let source: YouTubeTranscriptSource;
  beforeAll(async () => {
    yt = await startFakeYouTube(SCRIPTED_VIDEOS);
    // configured exactly as the service configures it, from its environment
    source = new YouTubeTranscriptSource(youtubeClientFrom(processorEnvSchema.parse({ YOUTUBE_BASE_URL: yt.url })));
  });
  afterAll(() => yt.close());

  it('returns timed lines and the track chosen', async () => {
    const t = await source.fetch({ youtubeVideoId: 'MANUAL2LANG' });
    expect(t.track).toEqual({
      language: 'en',
      kind: 'manual',
      translatedFrom: null,
      trackName: 'English',
      client: 'ANDROID_VR',
    });
    expect(t.lines[1]).toEqual({ start: 10, text: expect.stringMatching(/^Photosynthesis happens/) });
    expect(t.video).toEqual({ channel: 'Study Channel', durationSeconds: 110 });
  });

  it('honours the requested language, translating when needed', async () => {
    expect((await source.fetch({ youtubeVideoId: 'MANUAL2LANG', language: 'de' })).track.language).toBe('de');
    expect((await source.fetch({ youtubeVideoId: 'AUTOCAPONLY', language: 'es' })).track).toMatchObject({
      language: 'es',
      kind: 'asr',
      translatedFrom: 'en',
    });
  });

  it.each([
    ['AGERESTRICT', /age-restricted/],
    ['NOCAPTIONS0', /no captions/],
    ['UNAVAILABLE', /unavailable/],
  ])('%s fails for good at fetching_transcript, not retryable', async (id, message) => {
    const error = await source.fetch({ youtubeVideoId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({
      step: 'fetching_transcript',
      retryable: false,
      message: expect.stringMatching(message),
    });
  });

  it('a rate limit is transient', async () => {
    const error = await source.fetch({ youtubeVideoId: 'RATELIMIT02' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientFailure);
    expect(error).toMatchObject({
      step: 'fetching_transcript',
      reason: 'rate_limited',
      message: expect.stringMatching(/429/),
    });
  });
});
