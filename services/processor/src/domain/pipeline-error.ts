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
