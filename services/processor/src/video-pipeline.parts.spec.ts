import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { serviceSpec } from '@study-buddy/service-testing';
import {
  FakeAnthropic,
  fakeAnthropicError,
  longLecture,
  startFakeAnthropic,
  toSrt,
  waitFor,
} from '@study-buddy/testing';
import { cancelJob } from './job-cancellation';
import { jobPartsPrefix } from './job-parts';
import { fakeClaudeWriter, Submitted, uploadedSubmission, uploadPipeline } from '../test/pipelines';

const lecture = longLecture(30_000);
const blockOf = (r: FakeAnthropic['requests'][number]) => String(r.body.messages[0].content[0].text);
const isPart = (r: FakeAnthropic['requests'][number]) => /^Part \d+ of \d+ of a long/.test(blockOf(r));

/** A 3-hour lecture through the pipeline with a small budget: its finished parts survive a failed delivery. */
describe('VideoPipeline with a long lecture (parts kept per job)', () => {
  let fake: FakeAnthropic;
  let spec: ReturnType<typeof serviceSpec>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let videoId: string;
  let userId: string;

  beforeAll(() => Logger.overrideLogger(false));
  beforeAll(async () => (fake = await startFakeAnthropic()));
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    spec = serviceSpec();
    blobs = createMemoryBlobStore();
    videoId = randomUUID();
    userId = randomUUID();
    await blobs.put(`transcripts/${userId}/${videoId}.srt`, toSrt(lecture), 'text/plain');
  });

  const run = (delivery = { attempt: 1, maxAttempts: 5 }, overrides: Partial<Submitted> = {}) => {
    const writer = fakeClaudeWriter(fake, { inputTokenBudget: 10_000 });
    const pipeline = uploadPipeline({ store: spec.store, blobs, writer });
    const submission = uploadedSubmission({ videoId, userId }, `transcripts/${userId}/${videoId}.srt`, overrides);
    return spec.when(() => pipeline.process(submission, {}, delivery));
  };
  const stored = async (attempt = 1) => {
    const keys: string[] = [];
    for await (const e of blobs.list(jobPartsPrefix(videoId, attempt))) keys.push(e.key);
    return keys;
  };
  const purposes = (outcome: Awaited<ReturnType<typeof run>>) =>
    outcome.appended
      .filter((e) => e.type === 'ModelCallsRecorded')
      .flatMap((e) => (e.data as { calls: { purpose: string }[] }).calls.map((c) => c.purpose));

  it('a redelivered job reads its finished parts instead of asking Claude for them again, then removes them', async () => {
    fake.enqueue({ kind: 'default' }, { kind: 'default' }, { kind: 'default' });
    fake.enqueue(fakeAnthropicError(500), fakeAnthropicError(500)); // the 4th part fails past the SDK's retry
    const first = await run();
    expect(String(first.error)).toMatch(/HTTP 500/); // handed back to JetStream
    expect(purposes(first)).toEqual(['note-part', 'note-part', 'note-part']); // billed and recorded as they finished
    expect(await stored()).toHaveLength(3);
    const finished = fake.requests.slice(0, 3).map(blockOf);
    const failedPart = blockOf(fake.requests[3]);

    fake.reset();
    const second = await run({ attempt: 2, maxAttempts: 5 });
    expect(second.error).toBeUndefined();
    expect(second.appended[second.appended.length - 1].type).toBe('JobCompleted');
    const asked = fake.requests.map(blockOf);
    for (const part of finished) expect(asked).not.toContain(part);
    expect(asked[0]).toBe(failedPart);
    const total = Number(/^Part \d+ of (\d+)/.exec(failedPart)![1]);
    expect(fake.requests.filter(isPart)).toHaveLength(total - 3);
    expect(purposes(second)).toEqual([...Array(total - 3).fill('note-part'), 'note-combine', 'assessment']);
    expect(await stored()).toEqual([]); // completed: the parts are gone
  });

  it('removes the parts when the job fails for good, and a retried video starts its own', async () => {
    fake.enqueue({ kind: 'default' }, { kind: 'default' }, fakeAnthropicError(400));
    const failed = await run({ attempt: 5, maxAttempts: 5 });
    expect(failed.appended[failed.appended.length - 1].type).toBe('JobFailed');
    expect(await stored()).toEqual([]);

    fake.reset();
    fake.enqueue({ kind: 'default' }, fakeAnthropicError(500), fakeAnthropicError(500));
    await run({ attempt: 1, maxAttempts: 5 }, { attempt: 2 });
    expect(await stored(2)).toHaveLength(1);
    expect(await stored(1)).toEqual([]);
  });

  it('starts no further part once the video is cancelled, and removes the parts kept so far', async () => {
    fake.setDefault({ kind: 'default', delayMs: 300 });
    const running = run();
    await waitFor(async () => (fake.requests.length >= 2 ? true : undefined), { what: 'the 2nd part to be asked for' });
    await cancelJob(spec.store, { videoId, userId, attempt: 1, cancelledAt: new Date().toISOString() }, {}, 'cancel');
    const outcome = await running;
    expect(outcome.error).toBeUndefined();
    expect(fake.requests).toHaveLength(2); // the part under way when it was cancelled, none after
    const types = outcome.appended.map((e) => e.type);
    expect(types).toContain('JobCancelled');
    expect(types).not.toContain('JobCompleted');
    expect(purposes(outcome)).toEqual(['note-part', 'note-part']); // both were paid for
    expect(await stored()).toEqual([]);
  });
});
