/**
 * Turns a user-provided transcript (plain text, SubRip .srt or WebVTT .vtt)
 * into clean running text: no cue numbers, timings, tags, speaker arrows,
 * sound-effect brackets, or the repeated lines of roll-up captions.
 */
export function transcriptToText(raw: string): string {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const isVtt = /^WEBVTT\b/.test(text.trimStart());
  const isSrt = !isVtt && /^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->/m.test(text);
  const lines = isVtt || isSrt ? cueLines(text, isVtt) : text.split('\n');

  const kept: string[] = [];
  for (const line of lines) {
    const clean = line
      .replace(/<[^>]+>/g, '') // <c>, <i>, <00:00:01.000> karaoke timestamps
      .replace(/\[(music|applause|laughter|inaudible|silence|noise)[^\]]*\]/gi, '')
      .replace(/\((music|applause|laughter)\)/gi, '')
      .replace(/^\s*(>>|-)\s*/, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&nbsp;/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (clean && clean !== kept[kept.length - 1]) kept.push(clean);
  }
  return kept
    .join(' ')
    .replace(/\s+([,.!?;:])/g, '$1')
    .trim();
}

function cueLines(text: string, isVtt: boolean): string[] {
  const out: string[] = [];
  let skipBlock = false;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const t = line.trim();
    if (t === '') {
      skipBlock = false;
      continue;
    }
    if (skipBlock) continue;
    if (isVtt && (/^WEBVTT\b/.test(t) || /^(NOTE|STYLE|REGION)\b/.test(t))) {
      skipBlock = true; // header and metadata blocks run to the next blank line
      continue;
    }
    if (/-->/.test(t)) continue; // timing line
    if (/-->/.test(lines[i + 1] ?? '')) continue; // cue identifier: the line just before a timing line
    if (/^\d+$/.test(t)) continue; // SRT cue number (or a numeric VTT cue id)
    out.push(t);
  }
  return out;
}
