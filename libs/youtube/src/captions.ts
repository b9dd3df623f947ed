import { YouTubeError } from './errors';

/** A caption cue: start and duration in seconds. */
export interface Segment {
  start: number;
  duration: number;
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
/** Entities first, then markup: timedtext escapes its inline tags (`&lt;i>`). */
const clean = (s: string) =>
  decode(decode(s))
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];

/**
 * Parses a caption track body: timedtext XML (`<text start dur>`, seconds),
 * srv3 (`<p t d>`, milliseconds) or json3 (`events[].segs[].utf8`). Empty cues
 * are dropped. An empty body (what `exp=xpe` URLs answer) is a transient failure.
 */
export function parseCaptionTrack(body: string): Segment[] {
  const trimmed = body.trim();
  if (!trimmed) throw new YouTubeError('empty_captions', 'empty caption body');
  const segments = trimmed.startsWith('{') ? parseJson3(trimmed) : parseXml(trimmed);
  if (segments.length === 0) throw new YouTubeError('empty_captions', 'caption track with no cues');
  return segments;
}

function parseXml(body: string): Segment[] {
  if (!/<(transcript|timedtext)\b/.test(body))
    throw new YouTubeError('unexpected_response', `caption body is not timedtext: ${body.slice(0, 80)}`);
  const out: Segment[] = [];
  for (const m of body.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)) {
    push(out, Number(attr(m[1], 'start')), Number(attr(m[1], 'dur') ?? 0), m[2]);
  }
  for (const m of body.matchAll(/<p\b([^>]*)>([\s\S]*?)<\/p>/g)) {
    push(out, Number(attr(m[1], 't')) / 1000, Number(attr(m[1], 'd') ?? 0) / 1000, m[2]);
  }
  return out.sort((a, b) => a.start - b.start);
}

function parseJson3(body: string): Segment[] {
  let parsed: { events?: { tStartMs?: number; dDurationMs?: number; segs?: { utf8?: string }[] }[] };
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new YouTubeError('unexpected_response', 'caption body is not valid json3');
  }
  const out: Segment[] = [];
  for (const e of parsed.events ?? []) {
    if (!e.segs) continue;
    push(out, (e.tStartMs ?? 0) / 1000, (e.dDurationMs ?? 0) / 1000, e.segs.map((s) => s.utf8 ?? '').join(''));
  }
  return out;
}

function push(out: Segment[], start: number, duration: number, raw: string): void {
  const t = clean(raw);
  if (!t || !Number.isFinite(start)) return;
  out.push({ start: round(start), duration: Number.isFinite(duration) ? round(duration) : 0, text: t });
}
const round = (n: number) => Math.round(n * 1000) / 1000;
