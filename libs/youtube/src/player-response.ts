import { YouTubeError } from './errors';

/** One caption track as the player response lists it. */
export interface CaptionTrack {
  languageCode: string;
  name: string;
  kind: 'manual' | 'asr';
  vssId: string;
  isTranslatable: boolean;
  baseUrl: string;
}

export interface TranslationLanguage {
  languageCode: string;
  name: string;
}

export interface Playability {
  status: string;
  reason: string;
}

/** What a player response says about a video: enough for the transcript and for the video-info endpoint. */
export interface PlayerInfo {
  videoId: string;
  title: string | null;
  channel: string | null;
  channelId: string | null;
  durationSeconds: number | null;
  publishDate: string | null;
  thumbnailUrl: string | null;
  isLive: boolean;
  isUpcoming: boolean;
  isLiveContent: boolean;
  playability: Playability;
  captionTracks: CaptionTrack[];
  translationLanguages: TranslationLanguage[];
  /** The spoken language as far as the tracks tell: the automatic track's, else the default track's. */
  videoLanguage: string | null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
/** YouTube's text objects: `{simpleText}` or `{runs: [{text}]}`. */
export const text = (v: unknown): string => {
  const o = obj(v);
  return (
    str(o.simpleText) ??
    arr(o.runs)
      .map((r) => str(obj(r).text) ?? '')
      .join('')
  );
};

export function parsePlayerResponse(body: unknown, videoId: string): PlayerInfo {
  if (!body || typeof body !== 'object' || !('playabilityStatus' in body))
    throw new YouTubeError('unexpected_response', 'player response without playabilityStatus');
  const root = obj(body);
  const status = obj(root.playabilityStatus);
  const details = obj(root.videoDetails);
  const micro = obj(obj(root.microformat).playerMicroformatRenderer);
  const renderer = obj(obj(root.captions).playerCaptionsTracklistRenderer);

  const captionTracks: CaptionTrack[] = arr(renderer.captionTracks).flatMap((t) => {
    const track = obj(t);
    const baseUrl = str(track.baseUrl);
    const languageCode = str(track.languageCode);
    if (!baseUrl || !languageCode) return [];
    return [
      {
        languageCode,
        name: text(track.name) || languageCode,
        kind: track.kind === 'asr' ? ('asr' as const) : ('manual' as const),
        vssId: str(track.vssId) ?? '',
        isTranslatable: track.isTranslatable === true,
        baseUrl,
      },
    ];
  });
  const translationLanguages = arr(renderer.translationLanguages).flatMap((l) => {
    const languageCode = str(obj(l).languageCode);
    return languageCode ? [{ languageCode, name: text(obj(l).languageName) || languageCode }] : [];
  });
  const thumbnails = arr(obj(details.thumbnail).thumbnails).map(obj);
  const widest = thumbnails.sort((a, b) => Number(b.width ?? 0) - Number(a.width ?? 0))[0];
  const length = Number(details.lengthSeconds);
  const defaultIndex = Number(obj(arr(renderer.audioTracks)[0]).defaultCaptionTrackIndex);

  return {
    videoId: str(details.videoId) ?? videoId,
    title: str(details.title),
    channel: str(details.author),
    channelId: str(details.channelId),
    durationSeconds: Number.isFinite(length) && length > 0 ? length : null,
    publishDate: str(micro.publishDate),
    thumbnailUrl: str(widest?.url) ?? null,
    isLive: details.isLive === true,
    isUpcoming: details.isUpcoming === true,
    isLiveContent: details.isLiveContent === true,
    playability: { status: str(status.status) ?? 'UNKNOWN', reason: str(status.reason) ?? text(status.messages) },
    captionTracks,
    translationLanguages,
    videoLanguage:
      captionTracks.find((t) => t.kind === 'asr')?.languageCode ??
      captionTracks[Number.isInteger(defaultIndex) ? defaultIndex : 0]?.languageCode ??
      null,
  };
}

/**
 * Throws the failure a player response stands for, classified from
 * `playabilityStatus` first: a datacenter IP that YouTube blocks often gets a
 * response with no captions, which must not be mistaken for "disabled".
 */
export function assertTranscriptAvailable(info: PlayerInfo): void {
  assertPlayable(info);
  if (info.isLive || info.isUpcoming) throw new YouTubeError('live_not_finished');
  if (info.captionTracks.length === 0) throw new YouTubeError('captions_unavailable');
}

/** Throws unless YouTube would play the video to a signed-out viewer (live and caption status aside). */
export function assertPlayable(info: PlayerInfo): void {
  const { status, reason } = info.playability;
  const r = reason.toLowerCase();
  switch (status) {
    case 'OK':
      break;
    case 'LOGIN_REQUIRED':
      if (/bot/.test(r)) throw new YouTubeError('blocked', reason);
      if (/private/.test(r)) throw new YouTubeError('private', reason);
      if (/inappropriate|age|mature/.test(r)) throw new YouTubeError('age_restricted', reason);
      throw new YouTubeError('blocked', reason);
    case 'AGE_CHECK_REQUIRED':
    case 'AGE_VERIFICATION_REQUIRED':
    case 'CONTENT_CHECK_REQUIRED':
      throw new YouTubeError('age_restricted', reason);
    case 'LIVE_STREAM_OFFLINE':
      throw new YouTubeError('live_not_finished', reason);
    case 'ERROR':
      if (/private/.test(r)) throw new YouTubeError('private', reason);
      if (/removed|terminated|deleted/.test(r)) throw new YouTubeError('removed', reason);
      throw new YouTubeError('unavailable', reason);
    case 'UNPLAYABLE':
      if (/member/.test(r)) throw new YouTubeError('members_only', reason);
      if (/live|premiere/.test(r)) throw new YouTubeError('live_not_finished', reason);
      if (/private/.test(r)) throw new YouTubeError('private', reason);
      throw new YouTubeError('unplayable', reason);
    default:
      // CUSTOM and other statuses YouTube invents: the video will not play for anyone signed out.
      throw new YouTubeError('unplayable', `${status}: ${reason}`);
  }
}
