import { ProgressStep } from '@study-buddy/contracts';

/** A failure the pipeline understands: it fails the job with this message instead of retrying blindly. */
export class PipelineError extends Error {
  constructor(
    readonly step: ProgressStep,
    message: string,
    /** Whether trying again later (e.g. POST /videos/{id}/retry) may succeed. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'PipelineError';
  }
}

/**
 * A failure that another delivery may not have (rate limit, block, network):
 * the pipeline lets JetStream redeliver it with growing delays, and fails the
 * job as retryable with this message once the deliveries run out.
 */
export class TransientFailure extends Error {
  constructor(
    readonly step: ProgressStep,
    /** Understandable by the user: it becomes the video's error once retries are exhausted. */
    message: string,
    /** For logs and metrics, e.g. `rate_limited`. */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'TransientFailure';
  }
}
