import { ProcessorEvents } from '@study-buddy/contracts';
import { EventStore, handleCommand } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { jobDecider, JobState, jobStream } from './domain/job.decider';

/**
 * How a cancelled video stops: the cancellation is recorded in the attempt's job stream (even before the job
 * started, so it never does), and the pipeline checks the job's state at every step boundary, so no paid
 * step starts after it. The job stream orders it against the pipeline's own writes: a completion recorded
 * first wins here (videos then decides which of the two the video keeps).
 */
export class JobCancelledError extends Error {
  constructor(readonly videoId: string) {
    super(`the job of video ${videoId} was cancelled`);
    this.name = 'JobCancelledError';
  }
}

/** Called after each recorded step: stops the pipeline when the job was cancelled meanwhile. */
export function stopIfCancelled(videoId: string, state: JobState): void {
  if (state.status === 'cancelled') throw new JobCancelledError(videoId);
}

/** Records the cancellation once, whatever the redeliveries (the event id derives from the incoming one). */
export function cancelJob(
  store: EventStore,
  cancelled: { videoId: string; userId: string; attempt: number; cancelledAt: string },
  context: MessageContext,
  idempotencyKey: string,
) {
  return handleCommand(
    store,
    jobStream(cancelled.videoId, cancelled.attempt),
    jobDecider,
    { type: 'CancelJob', videoId: cancelled.videoId, videoAttempt: cancelled.attempt, now: cancelled.cancelledAt },
    { metadata: { ...context, userId: cancelled.userId }, idempotencyKey, schemas: ProcessorEvents },
  );
}
