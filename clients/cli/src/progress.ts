import type { ExitCode } from './exit-codes';
import { printable, style } from './output';

export interface VideoProgress {
  videoId: string;
  title: string | null;
  status: string;
  step: string | null;
  progress: number;
  noteId?: string | null;
  /** A failed or cancelled video's reason; null otherwise. */
  error?: string | null;
  /** The video's stream could not be followed to its end (its outcome is unknown): why, and the exit code it means. */
  failure?: { code: ExitCode; message: string };
}

export const TERMINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);

/** No more to draw for this video: it ended, or it can no longer be followed. */
export function isOver(video: VideoProgress): boolean {
  return TERMINAL_STATUSES.has(video.status) || video.failure !== undefined;
}

/** What a video is doing, in one word or a few: its step while processing, else its status. */
export function stepLabel(video: VideoProgress): string {
  if (video.failure) return `not followed: ${video.failure.message}`;
  if (video.status === 'completed') return video.noteId ? `completed ${video.noteId}` : 'completed';
  if (video.status === 'failed') return `failed: ${video.error ?? 'unknown reason'}`;
  if (video.status === 'processing' && video.step) return video.step;
  return video.status;
}

/** One plain line per step change: `<video-id> <title> <step>` (for logs and scripts). */
export function plainLine(video: VideoProgress): string {
  return printable(`${video.videoId} ${video.title ?? '(untitled)'} ${stepLabel(video)}`);
}

/**
 * Columns a character takes on a terminal: 0 for combining marks, joiners and variation selectors,
 * 2 for East Asian wide and fullwidth characters and emoji, else 1. A small table, not all of
 * Unicode's East_Asian_Width, but enough that CJK titles and emoji do not wrap the line.
 */
export function charWidth(codePoint: number): number {
  if (
    (codePoint >= 0x0300 && codePoint <= 0x036f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    (codePoint >= 0xe0100 && codePoint <= 0xe01ef)
  )
    return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f680 && codePoint <= 0x1f6ff) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** The columns `text` takes (no escape sequences in it). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) width += charWidth(c.codePointAt(0)!);
  return width;
}

/** `text` cut to at most `columns` columns, with `…` when cut. */
export function fitWidth(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  if (columns <= 0) return '';
  let out = '';
  let width = 0;
  for (const c of text) {
    const w = charWidth(c.codePointAt(0)!);
    if (width + w > columns - 1) break;
    out += c;
    width += w;
  }
  return `${out}…`;
}

/** `text` fitted and padded with spaces to exactly `columns` columns. */
function padWidth(text: string, columns: number): string {
  const fitted = fitWidth(text, columns);
  return fitted + ' '.repeat(Math.max(0, columns - displayWidth(fitted)));
}

const BAR = 24;

/**
 * A terminal line: the title, a bar, the percentage and the step, never wider than the terminal
 * (columns - 1: a line that fills the last column wraps on some terminals, which spoils the redraw).
 * A narrow terminal gets a shorter bar, then none.
 */
export function barLine(video: VideoProgress, columns = 100): string {
  const width = Math.max(1, columns - 1);
  const colour =
    video.status === 'failed' || video.status === 'cancelled' || video.failure
      ? style.red
      : video.status === 'completed'
        ? style.green
        : style.cyan;
  // The note id and a failure's reason are printed in full once every video is done (see summary).
  const word = video.failure
    ? 'not followed'
    : video.status === 'completed'
      ? 'completed'
      : video.status === 'failed'
        ? 'failed'
        : stepLabel(video);
  const label = printable(word);
  const title = printable(video.title ?? video.videoId);
  const percent = `${String(Math.round(Math.max(0, Math.min(100, video.progress)))).padStart(3)}%`;
  const bar = width >= 60 ? BAR : width >= 36 ? 10 : 0;
  // title, " ", bar, " ", percent, " ", label
  const fixed = (bar > 0 ? bar + 1 : 0) + percent.length + 1;
  const labelWidth = Math.min(displayWidth(label), Math.max(6, Math.floor((width - fixed) / 3)));
  const titleWidth = Math.min(40, width - fixed - 1 - labelWidth);
  if (titleWidth < 4) return fitWidth(`${title} ${percent} ${label}`, width);
  const filled = Math.round((Math.max(0, Math.min(100, video.progress)) / 100) * bar);
  const drawn = bar > 0 ? `${colour('█'.repeat(filled) + '░'.repeat(bar - filled))} ` : '';
  return `${padWidth(title, titleWidth)} ${drawn}${percent} ${fitWidth(label, labelWidth)}`;
}

/**
 * Progress of several videos at once. On a terminal a bar per video still in progress, redrawn in
 * place, and one line counting those done — at most rows - 1 lines, so the redraw never scrolls;
 * elsewhere a plain line each time a video's step or status changes (nothing for the same step twice).
 */
export class ProgressView {
  private readonly videos = new Map<string, VideoProgress>();
  private readonly printed = new Map<string, string>();
  private drawn = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly columns = () => 100,
    private readonly rows = () => 24,
  ) {}

  update(video: VideoProgress): void {
    this.videos.set(video.videoId, video);
    if (this.tty) return this.redraw();
    const line = plainLine(video);
    const key = `${video.status} ${video.step ?? ''} ${video.failure ? 'lost' : ''}`;
    if (this.printed.get(video.videoId) === key) return;
    this.printed.set(video.videoId, key);
    this.write(`${line}\n`);
  }

  /** The lines a redraw shows now (without escape sequences but the bar's colour). */
  lines(): string[] {
    const columns = this.columns();
    const room = Math.max(1, this.rows() - 1);
    const all = [...this.videos.values()];
    const active = all.filter((v) => !isOver(v));
    const done = all.length - active.length;
    const shown = active.length + 1 > room ? active.slice(0, room - 1) : active;
    const hidden = active.length - shown.length;
    const counts = [`${done} done`, ...(hidden > 0 ? [`${hidden} more in progress`] : [])].join(', ');
    return [...shown.map((v) => barLine(v, columns)), fitWidth(counts, Math.max(1, columns - 1))];
  }

  private redraw(): void {
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    const lines = this.lines();
    for (const line of lines) text += `\r\x1b[2K${line}\n`;
    // lines of the previous draw below these (a video done since): cleared
    if (lines.length < this.drawn) text += '\x1b[J';
    this.drawn = lines.length;
    this.write(text);
  }

  /** Done: the bars are left as they are (the summary follows them). */
  finish(): void {
    this.drawn = 0;
  }

  get all(): VideoProgress[] {
    return [...this.videos.values()];
  }
}

/** After the bars: each video's outcome in full (the bars have no room for a note id or a reason). */
export function summaryLine(video: VideoProgress): string {
  const title = printable(video.title ?? video.videoId);
  if (!video.failure && video.status === 'completed' && video.noteId)
    return `${title}: study-buddy show ${video.noteId}`;
  return `${title}: ${printable(stepLabel(video))}`;
}
