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
 * complete `sampleMs` window (or after `maxWaitMs`): background work that nobody waits for — YouTube
 * details of a video just accepted — gives way to the requests being answered, as a lower-priority
 * thread would. The windows are measured all along (from the first call on), so a quiet process goes
 * ahead at once instead of sampling before every piece of work.
 */
export function foregroundFirst(options: ForegroundFirstOptions) {
  let recent: number | undefined;
  let mark = performance.eventLoopUtilization();
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    const now = performance.eventLoopUtilization();
    recent = performance.eventLoopUtilization(now, mark).utilization;
    mark = now;
  };
  return async function whenQuiet(): Promise<void> {
    // unref: measuring never keeps the process alive
    timer ??= setInterval(sample, options.sampleMs).unref();
    const deadline = Date.now() + options.maxWaitMs;
    while ((recent === undefined || recent > options.maxUtilization) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, options.sampleMs));
  };
}
