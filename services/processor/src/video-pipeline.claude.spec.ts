import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppError, RPC } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { serviceSpec, createRecordingRpc } from '@study-buddy/service-testing';
import { FakeAnthropic, fakeAnthropicError, LECTURE_SENTENCES, startFakeAnthropic } from '@study-buddy/testing';
import { fakeClaudeWriter, Submitted, uploadedSubmission, uploadPipeline } from '../test/pipelines';

const srtTime = (s: number) =>
  `00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},000`;
/** The lecture as SubRip, a line every 7 s from 3 s: the moments a note may cite. */
const srt = LECTURE_SENTENCES.map(
  (text, i) => `${i + 1}\n${srtTime(3 + i * 7)} --> ${srtTime(9 + i * 7)}\n${text}\n`,
).join('\n');
const moments = new Set(LECTURE_SENTENCES.map((_, i) => 3 + i * 7));

describe('VideoPipeline with the Claude writer (fake Messages API)', () => {
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
    await blobs.put(`transcripts/${userId}/${videoId}.srt`, srt, 'text/plain');
  });

  const run = (
    overrides: Partial<Submitted> = {},
    delivery = { attempt: 1, maxAttempts: 5 },
    apiKey = fake.apiKey,
    rpc: Rpc = createRecordingRpc(), // no notes service: written without the user's subjects
  ) => {
    const writer = fakeClaudeWriter(fake, { apiKey });
    const pipeline = uploadPipeline({ store: spec.store, blobs, writer }, { rpc });
    const submission = uploadedSubmission({ videoId, userId }, `transcripts/${userId}/${videoId}.srt`, overrides);
    return spec.when(() => pipeline.process(submission, {}, delivery));
  };

  it('completes with Claude’s note, timestamps that exist, Claude’s assessment and each call’s usage on the job', async () => {
    const outcome = await run();
    const types = outcome.appended.map((e) => e.type);
    expect(types.filter((t) => t === 'ModelCallsRecorded')).toHaveLength(2);
    expect(types[types.length - 1]).toBe('JobCompleted');
    const calls = outcome.appended.filter((e) => e.type === 'ModelCallsRecorded').flatMap((e) => (e.data as any).calls);
    expect(calls.map((c: { purpose: string }) => c.purpose)).toEqual(['note', 'assessment']);
    expect(calls[1].cacheReadTokens).toBeGreaterThan(0);
    const done = outcome.appended.find((e) => e.type === 'JobCompleted')!.data as { usage: Record<string, number> };
    expect(done.usage).toMatchObject({ calls: 2, estimatedCostUsd: expect.any(Number) });
    expect(done.usage.cacheReadTokens).toBe(calls[1].cacheReadTokens);
    const { contentKey } = outcome.appended.find((e) => e.type === 'JobCompleted')!.data as { contentKey: string };
    const markdown = (await blobs.getText(contentKey))!;
    expect(markdown).toContain('## Key Points');
    expect(markdown).toContain('## Assessment');
    expect(markdown).toContain('### 6. ');
    const cited = [...markdown.matchAll(/\?t=(\d+)\)/g)].map((m) => Number(m[1]));
    expect(cited.length).toBeGreaterThan(0);
    for (const s of cited) expect(moments).toContain(s);
  });

  describe('the user’s existing subjects', () => {
    const notesAnswering = (items: { subject: string; noteCount: number }[]) => {
      const rpc = createRecordingRpc();
      rpc.respond(RPC.notes.subjects, () => ({ items }));
      return rpc;
    };
    const completedSubject = (outcome: { appended: { type: string; data: unknown }[] }) =>
      (outcome.appended.find((e) => e.type === 'JobCompleted')!.data as { note: { subject: string } }).note.subject;

    it('asks notes for them and files the note under the one the lecture belongs to', async () => {
      const rpc = notesAnswering([
        { subject: 'History', noteCount: 4 },
        { subject: ' Photosynthesis ', noteCount: 2 },
      ]);
      const outcome = await run({}, undefined, undefined, rpc);
      expect(rpc.callsTo(RPC.notes.subjects)).toEqual([{ userId }]);
      expect(fake.requests[0].body.messages[0].content[1].text).toContain('["History","Photosynthesis"]');
      expect(completedSubject(outcome)).toBe('Photosynthesis');
    });

    it('writes the note without them when notes fails or times out', async () => {
      const rpc = createRecordingRpc();
      rpc.respond(RPC.notes.subjects, () => {
        throw new AppError('timeout', 'notes.subjects did not answer in time');
      });
      const outcome = await run({}, undefined, undefined, rpc);
      expect(rpc.callsTo(RPC.notes.subjects)).toHaveLength(1);
      expect(outcome.appended.map((e) => e.type)).toContain('JobCompleted');
      expect(fake.requests[0].body.messages[0].content[1].text).not.toContain('existing subjects');
      expect(completedSubject(outcome)).toBe('Science');
    });

    it('does not ask when the submission names the subject', async () => {
      const rpc = notesAnswering([{ subject: 'Photosynthesis', noteCount: 2 }]);
      const outcome = await run({ subject: 'Botany' }, undefined, undefined, rpc);
      expect(rpc.calls).toEqual([]);
      expect(completedSubject(outcome)).toBe('Botany');
    });
  });

  it('makes no assessment call when the submission says assessment: false', async () => {
    const outcome = await run({ assessment: false });
    expect(fake.requests).toHaveLength(1);
    const { contentKey } = outcome.appended.find((e) => e.type === 'JobCompleted')!.data as { contentKey: string };
    expect(await blobs.getText(contentKey)).not.toContain('## Assessment');
  });

  it('fails the job on the first delivery when the key is refused', async () => {
    const outcome = await run({}, { attempt: 1, maxAttempts: 5 }, 'sk-ant-revoked');
    const failed = outcome.appended.find((e) => e.type === 'JobFailed')!.data as { error: string; failedStep: string };
    expect(failed.failedStep).toBe('generating_notes');
    expect(failed.error).toContain('API key');
    expect(failed.error).not.toContain('sk-ant');
    expect(fake.requests).toHaveLength(1);
  });

  it('hands an overload back to JetStream, and fails the job as retryable on the last delivery', async () => {
    fake.setDefault(fakeAnthropicError(529, 0));
    expect(String((await run()).error)).toMatch(/overloaded/);
    const last = await run({}, { attempt: 5, maxAttempts: 5 });
    const failed = last.appended.find((e) => e.type === 'JobFailed')!.data as { error: string; retryable: boolean };
    expect(failed.retryable).toBe(true);
    expect(failed.error).toMatch(/overloaded.*Gave up after 5 attempts/);
  });

  it('records the usage of billed calls when the write fails for good (a repair that is still invalid)', async () => {
    fake.setDefault({ kind: 'message', text: 'not json' });
    const outcome = await run({}, { attempt: 5, maxAttempts: 5 });
    const types = outcome.appended.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['ModelCallsRecorded', 'JobFailed']);
    const { calls } = outcome.appended[outcome.appended.length - 2].data as { calls: { purpose: string }[] };
    expect(calls.map((c) => c.purpose)).toEqual(['note', 'note-repair']);
    // the failure carries the spend to videos: a failed video cost money all the same
    const failed = outcome.appended[outcome.appended.length - 1].data as { usage?: Record<string, number> };
    expect(failed.usage).toMatchObject({ calls: 2, estimatedCostUsd: expect.any(Number) });
  });

  it('completes with the usage of every run: one that crashed after paid calls, then the redelivery', async () => {
    // the first delivery pays for a note and its repair, both invalid: handed back to JetStream
    fake.enqueue({ kind: 'message', text: 'not json' }, { kind: 'message', text: 'not json' });
    const crashed = await run({}, { attempt: 1, maxAttempts: 5 });
    expect(crashed.error).toBeDefined();
    const second = await run({}, { attempt: 2, maxAttempts: 5 });
    const calls = [...crashed.appended, ...second.appended]
      .filter((e) => e.type === 'ModelCallsRecorded')
      .flatMap((e) => (e.data as { calls: Record<string, number>[] }).calls);
    expect(calls.map((c) => c.purpose)).toEqual(['note', 'note-repair', 'note', 'assessment']);
    const sum = (key: string) => calls.reduce((s, c) => s + c[key], 0);
    const done = second.appended.find((e) => e.type === 'JobCompleted')!.data as { usage: Record<string, number> };
    expect(done.usage).toEqual({
      calls: 4,
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      cacheReadTokens: sum('cacheReadTokens'),
      cacheWriteTokens: sum('cacheWriteTokens'),
      estimatedCostUsd: expect.any(Number),
    });
    expect(done.usage.inputTokens).toBeGreaterThan(0);
  });
});
