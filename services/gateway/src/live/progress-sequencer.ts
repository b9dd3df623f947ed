import { HISTORY_END, PROGRESS_STEPS } from '@study-buddy/contracts';
import { ProgressEvent } from './progress-event';

/** The sequence numbers a video's history goes through, in order (a failure may end it at any point). */
const ORDER: number[] = [0, ...Object.values(PROGRESS_STEPS).filter((p) => p < HISTORY_END), HISTORY_END];

function nextAfter(seq: number): number | undefined {
  return ORDER.find((s) => s > seq);
}

export interface SequencerOptions {
  /** Reads the durable history after a sequence number (in order). */
  history: (after: number) => Promise<ProgressEvent[]>;
  send: (event: ProgressEvent) => void;
  /** How often to re-read the history while a live update waits for the steps before it. */
  retryMs: number;
  /** How long a live update may wait for them; then it is sent anyway (the history may never have them). */
  maxWaitMs: number;
}

/**
 * Puts one video's events in order, once each. The processor announces live before videos has
 * recorded the step, so a live update may arrive while the steps before it are not yet in the
 * durable history (or were announced before this stream subscribed). Such an update waits until
 * the history has filled the gap, so a client never sees a later step before an earlier one and
 * `Last-Event-ID` is always a point it can resume from without missing anything.
 */
export class ProgressSequencer {
  private readonly waiting = new Map<number, ProgressEvent>();
  private timer?: NodeJS.Timeout;
  private waitingSince = 0;
  private stopped = false;

  constructor(
    private last: number,
    private readonly options: SequencerOptions,
  ) {}

  get lastSent(): number {
    return this.last;
  }

  live(event: ProgressEvent): void {
    if (this.stopped || event.seq <= this.last) return;
    if (event.seq === nextAfter(this.last)) {
      this.emit(event);
      this.release();
      return;
    }
    this.waiting.set(event.seq, event);
    this.scheduleCatchUp();
  }

  /** Durable entries are the record: sent in order whatever lies between them. */
  history(events: ProgressEvent[]): void {
    for (const event of events) if (!this.stopped && event.seq > this.last) this.emit(event);
    this.release();
  }

  /** Re-reads the durable history now (a heartbeat, or a live update waiting for earlier steps). */
  async catchUp(): Promise<void> {
    if (this.stopped) return;
    this.history(await this.options.history(this.last));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private emit(event: ProgressEvent): void {
    this.last = event.seq;
    this.options.send(event);
    if (event.terminal) this.stop();
  }

  /** Sends the waiting updates that are now next; drops those the history already covered. */
  private release(): void {
    for (const seq of [...this.waiting.keys()].sort((a, b) => a - b)) {
      const event = this.waiting.get(seq)!;
      if (seq <= this.last) this.waiting.delete(seq);
      else if (seq === nextAfter(this.last) && !this.stopped) {
        this.waiting.delete(seq);
        this.emit(event);
      } else break;
    }
    if (this.waiting.size === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private scheduleCatchUp(): void {
    if (this.timer || this.stopped) return;
    this.waitingSince = Date.now();
    const tick = async () => {
      await this.catchUp().catch(() => undefined);
      if (this.stopped || this.waiting.size === 0) return;
      if (Date.now() - this.waitingSince >= this.options.maxWaitMs) {
        // The history does not have the steps in between (a step refused after the video ended): go on.
        for (const seq of [...this.waiting.keys()].sort((a, b) => a - b))
          if (!this.stopped && seq > this.last) this.emit(this.waiting.get(seq)!);
        this.waiting.clear();
        this.timer = undefined;
        return;
      }
      this.timer = setTimeout(() => void tick(), this.options.retryMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }
}
