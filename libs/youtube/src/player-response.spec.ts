import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { YouTubeError } from './errors';
import { assertTranscriptAvailable, parsePlayerResponse } from './player-response';

const recorded = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../../testing/fixtures/youtube', name), 'utf8')) as unknown;

describe('parsePlayerResponse (recorded responses)', () => {
  it('reads tracks, translation languages and the details the info endpoint needs', () => {
    const info = parsePlayerResponse(recorded('youtube.innertube.json'), 'GJLlxj_dtq8');
    expect(info).toMatchObject({
      videoId: 'GJLlxj_dtq8',
      title: 'Surface Go Review - It’s Awesome',
      channel: 'Dave2D',
      channelId: 'UCVYamHliCI9rw1tHR1xbkfw',
      durationSeconds: 316,
      thumbnailUrl: 'https://i.ytimg.com/vi/GJLlxj_dtq8/sddefault.jpg',
      isLive: false,
      isUpcoming: false,
      playability: { status: 'OK' },
      videoLanguage: 'en',
    });
    expect(info.captionTracks).toHaveLength(9);
    expect(info.captionTracks.filter((t) => t.kind === 'asr').map((t) => t.languageCode)).toEqual(['en']);
    expect(info.captionTracks[0]).toMatchObject({
      languageCode: 'zh',
      name: 'Chinese',
      kind: 'manual',
      isTranslatable: true,
    });
    expect(info.translationLanguages).toHaveLength(18);
    expect(info.translationLanguages[0]).toEqual({ languageCode: 'ar', name: 'Arabic' });
    expect(() => assertTranscriptAvailable(info)).not.toThrow();
  });

  it.each([
    ['youtube_age_restricted.innertube.json', 'age_restricted', false],
    ['youtube_video_unavailable.innertube.json', 'unavailable', false],
    ['youtube_unplayable.innertube.json', 'unplayable', false],
    ['youtube_transcripts_disabled.innertube.json', 'captions_unavailable', false],
    ['youtube_transcripts_disabled2.innertube.json', 'captions_unavailable', false],
    ['youtube_request_blocked.innertube.json', 'blocked', true],
  ])('classifies %s as %s (transient: %s)', (file, kind, transient) => {
    const info = parsePlayerResponse(recorded(file), 'x');
    let error: unknown;
    try {
      assertTranscriptAvailable(info);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(YouTubeError);
    expect(error).toMatchObject({ kind, transient });
    expect((error as Error).message).not.toMatch(/LOGIN_REQUIRED|playability/);
  });

  it.each([
    [{ status: 'LOGIN_REQUIRED', reason: 'This video is private' }, 'private'],
    [{ status: 'ERROR', reason: 'This video has been removed by the uploader' }, 'removed'],
    [{ status: 'UNPLAYABLE', reason: 'Join this channel to get access to members-only content' }, 'members_only'],
    [{ status: 'LIVE_STREAM_OFFLINE', reason: 'Premieres in 2 hours' }, 'live_not_finished'],
    [{ status: 'CONTENT_CHECK_REQUIRED', reason: 'Viewer discretion advised' }, 'age_restricted'],
  ])('classifies playability %j as %s', (playabilityStatus, kind) => {
    const info = parsePlayerResponse({ playabilityStatus }, 'x');
    expect(() => assertTranscriptAvailable(info)).toThrow(expect.objectContaining({ kind, transient: false }));
  });

  it('a live stream in progress has not finished, whatever its tracks', () => {
    const body = recorded('youtube.innertube.json') as { videoDetails: Record<string, unknown> };
    body.videoDetails.isLive = true;
    expect(() => assertTranscriptAvailable(parsePlayerResponse(body, 'x'))).toThrow(
      expect.objectContaining({ kind: 'live_not_finished' }),
    );
  });

  it('an answer that is not a player response is unexpected (transient)', () => {
    expect(() => parsePlayerResponse({ error: { code: 400 } }, 'x')).toThrow(
      expect.objectContaining({ kind: 'unexpected_response', transient: true }),
    );
  });
});
