import {
  claudeCost,
  claudeTokens,
  failSpan,
  pipelineJobs,
  pipelineStepDuration,
  Span,
  startSpan,
  withActiveSpan,
} from '@study-buddy/observability';
import { ProgressStep } from '@study-buddy/contracts';
import { ModelCall } from './domain/study-note';
import { PriceTable, totalUsage } from './domain/usage-cost';

export type StepOutcome = 'ok' | 'failed' | 'retry' | 'cancelled';

/**
 * Times a job's steps for `pipeline_step_duration_seconds`, each in a span of its own: each step from
 * its start to the next one's (or to the job's end, with how it ended). A job handed back at shutdown
 * records nothing for its step: it did not finish here, nor fail.
 */
export function stepClock() {
  let current: { step: ProgressStep; started: number; span: Span } | undefined;
  const end = (outcome: StepOutcome) => {
    if (!current) return;
    pipelineStepDuration.observe({ step: current.step, outcome }, (performance.now() - current.started) / 1000);
    current.span.setAttribute('pipeline.outcome', outcome);
    if (outcome === 'failed' || outcome === 'retry') failSpan(current.span, new Error(`${current.step}: ${outcome}`));
    current.span.end();
    current = undefined;
  };
  return {
    start(step: ProgressStep) {
      end('ok');
      current = { step, started: performance.now(), span: startSpan(`pipeline ${step}`, { 'pipeline.step': step }) };
    },
    end,
    /** Runs `fn` inside the current step's span (a Claude call inside generating_notes). */
    within<T>(fn: () => T): T {
      return current ? withActiveSpan(current.span, fn) : fn();
    },
    abandon() {
      current?.span.end();
      current = undefined;
    },
  };
}

export const countJob = (outcome: 'completed' | 'failed' | 'cancelled') => pipelineJobs.inc({ outcome });

/** The tokens and estimated cost of calls Claude answered (and billed), once each, as they are recorded on the job. */
export function countModelCalls(calls: ModelCall[], prices: PriceTable): void {
  for (const call of calls) {
    const model = call.model;
    claudeTokens.inc({ model, kind: 'input' }, call.inputTokens);
    claudeTokens.inc({ model, kind: 'output' }, call.outputTokens);
    claudeTokens.inc({ model, kind: 'cache_read' }, call.cacheReadTokens);
    claudeTokens.inc({ model, kind: 'cache_write' }, call.cacheWriteTokens);
    const cost = totalUsage([call], prices).estimatedCostUsd;
    if (cost !== null) claudeCost.inc({ model }, cost);
  }
}
