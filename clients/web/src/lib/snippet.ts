export interface SnippetPart {
  text: string;
  marked: boolean;
}

/**
 * A search snippet, where the server wraps matched words in `<mark>…</mark>`, as parts to render as
 * text: only those marks become highlights, everything else (any other tag included) stays text.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let at = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > at) parts.push({ text: decode(snippet.slice(at, m.index)), marked: false });
    parts.push({ text: decode(m[1]), marked: true });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) parts.push({ text: decode(snippet.slice(at)), marked: false });
  return parts;
}

/** The few entities a snippet may carry, decoded (React escapes them again on output). */
function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
