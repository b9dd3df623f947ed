import { subscription } from '@study-buddy/contracts';
import { EventStore } from '@study-buddy/event-store';
import type { ProcessorEnv } from './config';
import { videosEventsHandler } from './event-handlers/videos-events.handler';
import type { VideoPipeline } from './video-pipeline';

/**
 * How many jobs a replica runs at once and how it stops. Jobs are I/O-bound (Claude calls, mostly), so a
 * replica runs `JOB_CONCURRENCY` of them, each on its own JetStream message, heartbeated. On SIGTERM it
 * stops pulling, lets the jobs in hand finish within `jobDrainTimeoutMs`, then hands back the rest (nak:
 * another replica starts them at once) and aborts their signal, so they stop at the next step boundary.
 */

/**
 * The durable's cap on jobs delivered and not yet acknowledged, across all replicas. Each replica pulls only
 * into its free slots, so this only has to stay above replicas × JOB_CONCURRENCY (the chart checks it
 * against its KEDA maximum); JetStream stops delivering to every replica beyond it.
 */
export const JOBS_IN_FLIGHT_CAP = 1000;

/** What SHUTDOWN_TIMEOUT_MS keeps after draining: handing back, the outbox relay and closing connections. */
export const SHUTDOWN_MARGIN_MS = 5000;

/** How long shutdown waits for the jobs in hand before handing back those still running. */
export const jobDrainTimeoutMs = (env: Pick<ProcessorEnv, 'SHUTDOWN_TIMEOUT_MS'>) =>
  Math.max(0, env.SHUTDOWN_TIMEOUT_MS - SHUTDOWN_MARGIN_MS);

/** Thrown at a step boundary once shutdown has handed the job back: another replica runs it again. */
export class JobHandedBackError extends Error {
  constructor(readonly videoId: string) {
    super(`the job of video ${videoId} was handed back to another replica at shutdown`);
    this.name = 'JobHandedBackError';
  }
}

export function stopIfHandedBack(videoId: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JobHandedBackError(videoId);
}

/** The consumer of submitted and cancelled videos, as every replica runs it. */
export function jobConsumer(env: ProcessorEnv, pipeline: VideoPipeline, store: EventStore) {
  return {
    // KEDA scales on this subscription's durable (charts/.../keda-scaledobject.yaml)
    subscription: subscription('processor', 'videos'),
    handlers: videosEventsHandler(pipeline, store),
    ackWaitMs: env.JOB_ACK_WAIT_MS,
    // pulled only into free slots: none waits in a buffer, unheartbeated, while another replica is idle
    concurrency: env.JOB_CONCURRENCY,
    drainTimeoutMs: jobDrainTimeoutMs(env),
    maxAckPending: JOBS_IN_FLIGHT_CAP,
  };
}
