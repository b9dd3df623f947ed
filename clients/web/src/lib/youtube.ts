/**
 * A timestamp link of a note (`https://youtu.be/<id>?t=<s>`, or a watch URL with `t`) as the watch
 * page at that moment: `https://www.youtube.com/watch?v=<id>&t=<s>s`. Other links: null.
 */
export function watchUrlAt(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^www\.|^m\./, '');
  let id: string | null = null;
  if (host === 'youtu.be') id = url.pathname.slice(1).split('/')[0] || null;
  else if (host === 'youtube.com' && url.pathname === '/watch') id = url.searchParams.get('v');
  const t = url.searchParams.get('t');
  if (!id || !/^[A-Za-z0-9_-]{11}$/.test(id) || !t) return null;
  const seconds = /^(\d+)s?$/.exec(t)?.[1];
  if (!seconds) return null;
  return `https://www.youtube.com/watch?v=${id}&t=${Number(seconds)}s`;
}
