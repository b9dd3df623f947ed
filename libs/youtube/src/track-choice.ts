import { CaptionTrack, PlayerInfo } from './player-response';

export interface TrackChoice {
  track: CaptionTrack;
  /** The language the transcript will be in. */
  languageCode: string;
  /** Set when YouTube translates `track` into `languageCode`. */
  translateTo: string | null;
}

const primary = (code: string) => code.toLowerCase().split(/[-_]/)[0];
/** Exact code first ("pt-BR"), then the same primary language ("pt"). */
function inLanguage(tracks: CaptionTrack[], code: string): CaptionTrack[] {
  const exact = tracks.filter((t) => t.languageCode.toLowerCase() === code.toLowerCase());
  const loose = tracks.filter((t) => !exact.includes(t) && primary(t.languageCode) === primary(code));
  return [...exact, ...loose];
}
const manualFirst = (tracks: CaptionTrack[]) => [
  ...tracks.filter((t) => t.kind === 'manual'),
  ...tracks.filter((t) => t.kind === 'asr'),
];

/**
 * Which track to read: the requested language (manual before automatic),
 * else a YouTube translation into it when only other languages exist, else
 * the video's own language, else any track (manual first). Null when the
 * video lists no tracks.
 */
export function chooseTrack(info: PlayerInfo, requested?: string | null): TrackChoice | null {
  const tracks = info.captionTracks;
  const as = (track: CaptionTrack): TrackChoice => ({ track, languageCode: track.languageCode, translateTo: null });
  if (requested) {
    const direct = manualFirst(inLanguage(tracks, requested))[0];
    if (direct) return as(direct);
    const target = info.translationLanguages.find(
      (l) => l.languageCode.toLowerCase() === requested.toLowerCase() || primary(l.languageCode) === primary(requested),
    );
    const own = info.videoLanguage ? manualFirst(inLanguage(tracks, info.videoLanguage)) : [];
    const source = [...own, ...manualFirst(tracks)].find((t) => t.isTranslatable);
    if (target && source) return { track: source, languageCode: target.languageCode, translateTo: target.languageCode };
  }
  const own = info.videoLanguage ? manualFirst(inLanguage(tracks, info.videoLanguage))[0] : undefined;
  const any = own ?? manualFirst(tracks)[0];
  return any ? as(any) : null;
}
