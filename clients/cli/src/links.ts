/**
 * Whether a link names a playlist (POST /videos/playlist) rather than one video: a `/playlist` link, or
 * any YouTube link with `list=` and no `v=`. A watch link with both plays one video from a playlist: it
 * is that video, unless --playlist says otherwise.
 */
export function isPlaylistLink(link: string): boolean {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  if (!url.searchParams.get('list')) return false;
  return url.pathname.replace(/\/+$/, '') === '/playlist' || !url.searchParams.get('v');
}
