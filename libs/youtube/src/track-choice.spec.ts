import { CaptionTrack, PlayerInfo } from './player-response';
import { chooseTrack } from './track-choice';

const track = (languageCode: string, kind: 'manual' | 'asr' = 'manual', isTranslatable = true): CaptionTrack => ({
  languageCode,
  kind,
  isTranslatable,
  name: languageCode,
  vssId: `${kind === 'asr' ? 'a' : ''}.${languageCode}`,
  baseUrl: `https://www.youtube.com/api/timedtext?lang=${languageCode}${kind === 'asr' ? '&kind=asr' : ''}`,
});
const info = (tracks: CaptionTrack[], translations: string[] = ['de', 'en', 'fr']): PlayerInfo => ({
  videoId: 'x',
  title: null,
  channel: null,
  channelId: null,
  durationSeconds: null,
  publishDate: null,
  thumbnailUrl: null,
  isLive: false,
  isUpcoming: false,
  isLiveContent: false,
  playability: { status: 'OK', reason: '' },
  captionTracks: tracks,
  translationLanguages: translations.map((languageCode) => ({ languageCode, name: languageCode })),
  videoLanguage: tracks.find((t) => t.kind === 'asr')?.languageCode ?? tracks[0]?.languageCode ?? null,
});
const pick = (tracks: CaptionTrack[], requested?: string, translations?: string[]) => {
  const c = chooseTrack(info(tracks, translations), requested);
  return c && `${c.track.languageCode}/${c.track.kind}${c.translateTo ? `→${c.translateTo}` : ''}`;
};

describe('chooseTrack', () => {
  it.each([
    // [tracks, requested, translation languages, expected]
    [[track('en', 'asr'), track('en')], undefined, undefined, 'en/manual'],
    [[track('de'), track('en', 'asr'), track('en')], undefined, undefined, 'en/manual'],
    [[track('de'), track('en', 'asr'), track('en')], 'de', undefined, 'de/manual'],
    [[track('en', 'asr')], 'en', undefined, 'en/asr'],
    [[track('en-GB'), track('en', 'asr')], 'en', undefined, 'en-GB/manual'],
    [[track('en-GB')], 'en', undefined, 'en-GB/manual'],
    [[track('pt-BR'), track('pt')], 'pt-BR', undefined, 'pt-BR/manual'],
    [[track('en'), track('en', 'asr')], 'fr', undefined, 'en/manual→fr'],
    [[track('en', 'asr')], 'fr', undefined, 'en/asr→fr'],
    [[track('en', 'manual', false), track('en', 'asr')], 'fr', undefined, 'en/asr→fr'],
    [[track('en')], 'ja', ['de'], 'en/manual'],
    [[track('en', 'manual', false)], 'fr', undefined, 'en/manual'],
    [[track('nl', 'asr'), track('de')], undefined, undefined, 'nl/asr'],
  ] as const)('%j asked for %s → %s', (tracks, requested, translations, expected) => {
    expect(pick([...tracks], requested, translations ? [...translations] : undefined)).toBe(expected);
  });

  it('none when the video lists no tracks', () => {
    expect(chooseTrack(info([]), 'en')).toBeNull();
  });
});
