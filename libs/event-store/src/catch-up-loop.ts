import { EventStore } from './event-store';
import { LeaderLock } from './leader-lock';

export interface CatchUpLoopOptions {
  store: EventStore;
  /** Handles one batch after its checkpoint: how many events it read, and the position it reached. */
  step(): Promise<{ read: number; position: bigint }>;
  /** Longest wait for an append notification once caught up; covers missed notifications. */
  idleTimeoutMs: number;
  /** Only the holder runs batches; the others check again every `leaderRetryMs`. Released when the loop stops. */
  leader?: LeaderLock;
  leaderRetryMs?: number;
  /** Runs once the loop stopped, if it held the leader lock last, before releasing it (a checkpoint's last save). */
  onStop?: () => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface CatchUpLoop {
  start(): void;
  /** Stops after the batch in progress; waits, idle waits and back-offs end at once. */
  stop(): Promise<void>;
  readonly running: boolean;
  /** Running and, with a leader lock, holding it as of the last check: the replica that does the work. */
  readonly leading: boolean;
}

/**
 * Follows the event store in batches until stopped: after a batch that read
 * nothing it waits for the next append, after a failure it backs off
 * (database down, poison event) without spinning. Projectors and outbox
 * relays share it; each owns its step and its checkpoint.
 */
export function createCatchUpLoop(options: CatchUpLoopOptions): CatchUpLoop {
  let running = false;
  let leading = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const woken = () => new Promise<void>((resolve) => (wake = resolve));
  const pause = (ms: number) => Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms)), woken()]);

  async function run(): Promise<void> {
    let failures = 0;
    leading = !options.leader;
    while (running) {
      try {
        if (options.leader && !(leading = await options.leader.acquire())) {
          await pause(options.leaderRetryMs ?? 2000); // another replica runs it; check again later
          continue;
        }
        const { read, position } = await options.step();
        failures = 0;
        if (read === 0 && running)
          await Promise.race([options.store.waitForAppend(position, options.idleTimeoutMs), woken()]);
      } catch (e) {
        failures += 1;
        options.onError?.(e);
        await pause(Math.min(100 * 2 ** failures, 10_000));
      }
    }
    if (leading) await options.onStop?.().catch((e: unknown) => options.onError?.(e));
    await options.leader?.release();
    leading = false;
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    get running() {
      return running;
    },
    get leading() {
      return running && leading;
    },
  };
}
