import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Projector } from '@study-buddy/event-store';

export interface BackgroundWorker {
  name: string;
  /** Set on projection workers, so the service can rebuild its read models on demand. */
  projector?: Projector;
  start(): void | Promise<void>;
  stop(): Promise<void>;
  readonly running: boolean;
}

/**
 * Projectors, outbox relays and consumers of one service. They start once the
 * app is wired and stop before the infrastructure closes, in reverse order, so
 * an in-flight message finishes (or is handed back) on SIGTERM.
 */
@Injectable()
export class BackgroundWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Workers');
  private readonly workers: BackgroundWorker[] = [];
  private started = false;

  register(worker: BackgroundWorker): void {
    this.workers.push(worker);
    if (this.started) void this.startOne(worker);
  }

  /** False in one-off commands (rebuilding projections) that must not start consumers. */
  static autoStart = true;

  async onApplicationBootstrap(): Promise<void> {
    if (!BackgroundWorkers.autoStart) return;
    this.started = true;
    for (const worker of this.workers) await this.startOne(worker);
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const worker of [...this.workers].reverse()) {
      await worker.stop().catch((e: unknown) => this.logger.error(`Stopping ${worker.name} failed: ${String(e)}`));
    }
  }

  /** Replays every read model of this service into fresh tables and switches reads to them once caught up (a live replica keeps serving meanwhile). */
  async rebuildProjections(): Promise<string[]> {
    const rebuilt: string[] = [];
    for (const worker of this.workers) {
      if (!worker.projector) continue;
      await worker.projector.setup();
      await worker.projector.rebuild();
      rebuilt.push(worker.projector.name);
    }
    return rebuilt;
  }

  status(): Record<string, boolean> {
    return Object.fromEntries(this.workers.map((w) => [w.name, w.running]));
  }

  private async startOne(worker: BackgroundWorker): Promise<void> {
    await worker.start();
    this.logger.log(`${worker.name} started`);
  }
}
