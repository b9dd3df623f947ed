/**
 * `attachment` with the file's name twice: `filename` in plain ASCII (quotes, backslashes and
 * anything outside printable ASCII removed, so the header cannot be broken), and `filename*`
 * (RFC 6266/8187) with the full Unicode name for every current browser and client.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\%;]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const extension = /\.[a-z0-9]{1,8}$/i.exec(fileName)?.[0] ?? '';
  // nothing left of the name but its extension (or dots): a generic one
  const plain = ascii.replace(/^\.+/, '') && ascii !== extension ? ascii.replace(/^\.+/, '') : `export${extension}`;
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
