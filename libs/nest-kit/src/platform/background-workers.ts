import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

export interface BackgroundWorker {
  name: string;
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

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    for (const worker of this.workers) await this.startOne(worker);
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const worker of [...this.workers].reverse()) {
      await worker.stop().catch((e: unknown) => this.logger.error(`Stopping ${worker.name} failed: ${String(e)}`));
    }
  }

  status(): Record<string, boolean> {
    return Object.fromEntries(this.workers.map((w) => [w.name, w.running]));
  }

  private async startOne(worker: BackgroundWorker): Promise<void> {
    await worker.start();
    this.logger.log(`${worker.name} started`);
  }
}
