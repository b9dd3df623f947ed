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

/** A terminal line: the title, a bar, the percentage and the step. */
export function barLine(video: VideoProgress, columns = 100): string {
  const filled = Math.round((Math.max(0, Math.min(100, video.progress)) / 100) * BAR);
  const bar = '█'.repeat(filled) + '░'.repeat(BAR - filled);
  const colour =
    video.status === 'failed' || video.status === 'cancelled'
      ? style.red
      : video.status === 'completed'
        ? style.green
        : style.cyan;
  const label = stepLabel(video);
  const titleWidth = Math.max(10, Math.min(40, columns - BAR - label.length - 12));
  const title = printable(video.title ?? video.videoId);
  const shown = title.length > titleWidth ? `${title.slice(0, titleWidth - 1)}…` : title.padEnd(titleWidth);
  return `${shown} ${colour(bar)} ${String(Math.round(video.progress)).padStart(3)}% ${printable(label)}`;
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
