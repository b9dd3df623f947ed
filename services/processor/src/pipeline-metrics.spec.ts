import { pipelineStepDuration } from '@study-buddy/observability';
import { stepClock } from './pipeline-metrics';

const runs = async () =>
  (await pipelineStepDuration.get()).values
    .filter((v) => v.metricName === 'pipeline_step_duration_seconds_count' && v.value > 0)
    .map((v) => `${v.labels.step} ${v.labels.outcome} ${v.value}`)
    .sort();

describe('the pipeline step clock', () => {
  beforeEach(() => pipelineStepDuration.reset());

  it('ends each step when the next starts, and the last with how the job ended', async () => {
    const clock = stepClock();
    clock.start('starting');
    clock.start('fetching_transcript');
    clock.start('generating_notes');
    clock.end('retry');
    clock.end('failed'); // nothing in progress any more: counts nothing
    expect(await runs()).toEqual(['fetching_transcript ok 1', 'generating_notes retry 1', 'starting ok 1']);
  });

  it('records nothing for a step handed back at shutdown', async () => {
    const clock = stepClock();
    clock.start('writing_files');
    clock.abandon();
    clock.end('ok');
    expect(await runs()).toEqual([]);
  });
});
