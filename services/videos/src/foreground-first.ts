import { performance } from 'node:perf_hooks';

export interface ForegroundFirstOptions {
  /** Busy share of the event loop (0–1) above which background work waits. */
  maxUtilization: number;
  /** How often the share is measured while waiting, and over what window. */
  sampleMs: number;
  /** Background work is never held back longer than this in one go (it must not starve). */
  maxWaitMs: number;
}

/**
 * Resolves once this process's event loop has been less busy than `maxUtilization` over the last
 * `sampleMs` (or after `maxWaitMs`): background work that nobody waits for — YouTube details of a
 * video just accepted — gives way to the requests being answered, as a lower-priority thread would.
 */
export function foregroundFirst(options: ForegroundFirstOptions) {
  return async function whenQuiet(): Promise<void> {
    const deadline = Date.now() + options.maxWaitMs;
    for (;;) {
      const start = performance.eventLoopUtilization();
      await new Promise((resolve) => setTimeout(resolve, options.sampleMs));
      const busy = performance.eventLoopUtilization(start).utilization;
      if (busy <= options.maxUtilization || Date.now() >= deadline) return;
    }
  };
}
