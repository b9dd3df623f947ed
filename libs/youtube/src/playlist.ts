import { YouTubeError } from './errors';
import { text } from './player-response';

/** One video of a playlist, as the browse response lists it. */
export interface PlaylistItem {
  videoId: string;
  title: string | null;
  durationSeconds: number | null;
  /** False for entries YouTube lists but will not play ("[Private video]", "[Deleted video]"). */
  playable: boolean;
}

export interface PlaylistPage {
  title: string | null;
  items: PlaylistItem[];
  /** The token of the next page, if there is one. */
  continuation: string | null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

export const PLAYLIST_UNAVAILABLE = 'This playlist does not exist, is private, or cannot be listed';

/**
 * One page of `POST /youtubei/v1/browse` (WEB client): the first page for `browseId: VL<playlist id>`,
 * the next ones for a continuation token. Items are `playlistVideoRenderer`s (still what WEB sends) or
 * `lockupViewModel`s (the newer layout); the last entry of a page may be a `continuationItemRenderer`.
 */
export function parsePlaylistPage(body: unknown): PlaylistPage {
  const root = obj(body);
  const continued = arr(root.onResponseReceivedActions)
    .map((a) => obj(obj(a).appendContinuationItemsAction).continuationItems)
    .find(Array.isArray);
  let entries: unknown[];
  if (continued) entries = continued;
  else {
    const list = findList(root);
    if (!list) {
      const alert = arr(root.alerts)
        .map((a) => text(obj(obj(a).alertRenderer).text))
        .find(Boolean);
      throw new YouTubeError('unavailable', alert ?? 'browse response without a playlist', PLAYLIST_UNAVAILABLE);
    }
    entries = arr(list.contents);
  }
  const items: PlaylistItem[] = [];
  let continuation: string | null = null;
  for (const entry of entries.map(obj)) {
    const video = obj(entry.playlistVideoRenderer);
    const lockup = obj(entry.lockupViewModel);
    const next = obj(obj(obj(entry.continuationItemRenderer).continuationEndpoint).continuationCommand).token;
    if (typeof video.videoId === 'string' && VIDEO_ID.test(video.videoId)) {
      const length = Number(video.lengthSeconds);
      items.push({
        videoId: video.videoId,
        title: text(video.title) || null,
        durationSeconds: Number.isFinite(length) && length > 0 ? length : null,
        playable: video.isPlayable !== false,
      });
    } else if (typeof lockup.contentId === 'string' && VIDEO_ID.test(lockup.contentId)) {
      const title = obj(obj(obj(lockup.metadata).lockupMetadataViewModel).title).content;
      items.push({
        videoId: lockup.contentId,
        title: typeof title === 'string' ? title : null,
        durationSeconds: null,
        playable: true,
      });
    } else if (typeof next === 'string' && next) continuation = next;
  }
  const header = obj(root.header);
  const title =
    text(obj(header.playlistHeaderRenderer).title) ||
    text(obj(obj(root.metadata).playlistMetadataRenderer).title) ||
    (typeof obj(obj(root.metadata).playlistMetadataRenderer).title === 'string'
      ? (obj(obj(root.metadata).playlistMetadataRenderer).title as string)
      : '');
  return { title: title || null, items, continuation };
}

/** The playlistVideoListRenderer of a first page, wherever the tab layout puts it. */
function findList(root: Json): Json | null {
  for (const tab of arr(obj(obj(root.contents).twoColumnBrowseResultsRenderer).tabs)) {
    for (const section of arr(obj(obj(obj(obj(tab).tabRenderer).content).sectionListRenderer).contents)) {
      for (const item of arr(obj(obj(section).itemSectionRenderer).contents)) {
        const list = obj(item).playlistVideoListRenderer;
        if (list) return obj(list);
      }
    }
  }
  return null;
}
