/** A line of a transcript and when it is spoken (seconds), if the format says. */
export interface TimedLine {
  start: number | null;
  text: string;
}
/** Where, in the running text, a timed line begins: `at` is a character offset, `start` seconds into the video. */
export interface TimelineEntry {
  at: number;
  start: number;
}
export interface TimedText {
  text: string;
  /** Ascending by `at`; empty for plain text without timings. */
  timeline: TimelineEntry[];
}

/**
 * Turns a user-provided transcript (plain text, SubRip .srt or WebVTT .vtt)
 * into clean running text: no cue numbers, timings, tags, speaker arrows,
 * sound-effect brackets, or the repeated lines of roll-up captions.
 */
export const transcriptToText = (raw: string): string => transcriptToTimedText(raw).text;

/** The same running text, plus where each cue starts when the format has timings (SRT, WebVTT). */
export const transcriptToTimedText = (raw: string): TimedText => joinLines(transcriptLines(raw));

export function transcriptLines(raw: string): TimedLine[] {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const isVtt = /^WEBVTT\b/.test(text.trimStart());
  const isSrt = !isVtt && /^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->/m.test(text);
  return isVtt || isSrt ? cueLines(text, isVtt) : text.split('\n').map((line) => ({ start: null, text: line }));
}

/**
 * Cleans and joins lines into running text, dropping a line that repeats the
 * one before (roll-up captions), and remembers where each timed line begins.
 */
export function joinLines(lines: TimedLine[]): TimedText {
  let text = '';
  let previous: string | undefined;
  const timeline: TimelineEntry[] = [];
  for (const line of lines) {
    const clean = cleanLine(line.text);
    if (!clean || clean === previous) continue;
    previous = clean;
    const joined = clean.replace(/\s+([,.!?;:])/g, '$1');
    if (text && !/^[,.!?;:]/.test(joined)) text += ' ';
    if (line.start !== null && (timeline.length === 0 || line.start >= timeline[timeline.length - 1].start))
      timeline.push({ at: text.length, start: line.start });
    text += joined;
  }
  return { text, timeline };
}

function cleanLine(line: string): string {
  return line
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
}

const TIMING = /^(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})\s*-->/;

function cueLines(text: string, isVtt: boolean): TimedLine[] {
  const out: TimedLine[] = [];
  let skipBlock = false;
  let start: number | null = null;
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
    const timing = TIMING.exec(t);
    if (timing) {
      const [, h, m, s, ms] = timing;
      start = Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms.padEnd(3, '0')) / 1000;
      continue;
    }
    if (/-->/.test(t)) continue; // a timing line in a shape not understood
    if (/-->/.test(lines[i + 1] ?? '')) continue; // cue identifier: the line just before a timing line
    if (/^\d+$/.test(t)) continue; // SRT cue number (or a numeric VTT cue id)
    out.push({ start, text: t });
  }
  return out;
}
