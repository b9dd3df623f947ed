import { printable, style } from './output';

export interface VideoProgress {
  videoId: string;
  title: string | null;
  status: string;
  step: string | null;
  progress: number;
  noteId?: string | null;
  error?: string | null;
}

export const TERMINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);

/** What a video is doing, in one word or a few: its step while processing, else its status. */
export function stepLabel(video: VideoProgress): string {
  if (video.status === 'completed') return video.noteId ? `completed ${video.noteId}` : 'completed';
  if (video.status === 'failed') return `failed: ${video.error ?? 'unknown reason'}`;
  if (video.status === 'processing' && video.step) return video.step;
  return video.status;
}

/** One plain line per step change: `<video-id> <title> <step>` (for logs and scripts). */
export function plainLine(video: VideoProgress): string {
  return printable(`${video.videoId} ${video.title ?? '(untitled)'} ${stepLabel(video)}`);
}

const BAR = 24;

/** A terminal line: the title, a bar, the percentage and the step, never wider than the terminal (a wrapped line would spoil the redraw). */
export function barLine(video: VideoProgress, columns = 100): string {
  const width = Math.max(40, columns) - 1;
  const filled = Math.round((Math.max(0, Math.min(100, video.progress)) / 100) * BAR);
  const bar = '█'.repeat(filled) + '░'.repeat(BAR - filled);
  const colour =
    video.status === 'failed' || video.status === 'cancelled'
      ? style.red
      : video.status === 'completed'
        ? style.green
        : style.cyan;
  const fit = (text: string, n: number) => (text.length > n ? `${text.slice(0, Math.max(0, n - 1))}…` : text);
  const titleWidth = Math.max(12, Math.min(40, width - BAR - 30));
  const title = fit(printable(video.title ?? video.videoId), titleWidth).padEnd(titleWidth);
  // The note id and a failure's reason are printed in full once every video is done (see summary).
  const word = video.status === 'completed' ? 'completed' : video.status === 'failed' ? 'failed' : stepLabel(video);
  const label = fit(printable(word), width - titleWidth - BAR - 7);
  return `${title} ${colour(bar)} ${String(Math.round(video.progress)).padStart(3)}% ${label}`;
}

/**
 * Progress of several videos at once. On a terminal a bar per video, redrawn in place; elsewhere a
 * plain line each time a video's step or status changes (nothing for the same step twice).
 */
export class ProgressView {
  private readonly videos = new Map<string, VideoProgress>();
  private readonly printed = new Map<string, string>();
  private drawn = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly columns = () => 100,
  ) {}

  update(video: VideoProgress): void {
    this.videos.set(video.videoId, video);
    if (this.tty) return this.redraw();
    const line = plainLine(video);
    const key = `${video.status} ${video.step ?? ''}`;
    if (this.printed.get(video.videoId) === key) return;
    this.printed.set(video.videoId, key);
    this.write(`${line}\n`);
  }

  private redraw(): void {
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const video of this.videos.values()) text += `\r\x1b[2K${barLine(video, this.columns())}\n`;
    this.drawn = this.videos.size;
    this.write(text);
  }

  get all(): VideoProgress[] {
    return [...this.videos.values()];
  }
}

/** After the bars: each video's outcome in full (the bars have no room for a note id or a reason). */
export function summaryLine(video: VideoProgress): string {
  const title = printable(video.title ?? video.videoId);
  if (video.status === 'completed' && video.noteId) return `${title}: study-buddy show ${video.noteId}`;
  return `${title}: ${printable(stepLabel(video))}`;
}
