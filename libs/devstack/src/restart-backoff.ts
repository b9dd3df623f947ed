/** How a supervised service is restarted after a crash. */
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as healthy: the next crash starts the back-off from the beginning. */
  resetAfterMs: number;
}

/** Kubernetes' CrashLoopBackOff at development scale: 1 s doubling to 30 s, reset after a minute up. */
export const CRASH_LOOP_BACKOFF: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/** The delays between restarts of one service; `restarts` counts them all, like a pod's RESTARTS column. */
export class RestartBackoff {
  private consecutive = 0;
  restarts = 0;

  constructor(private readonly policy: RestartPolicy) {}

  /** The delay before the next start, given how long the run that just ended lasted. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.policy.resetAfterMs) this.consecutive = 0;
    const delay = Math.min(this.policy.initialDelayMs * 2 ** this.consecutive, this.policy.maxDelayMs);
    this.consecutive++;
    this.restarts++;
    return delay;
  }
}
