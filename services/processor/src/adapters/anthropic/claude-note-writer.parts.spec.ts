import Anthropic from '@anthropic-ai/sdk';
import { Logger } from '@nestjs/common';
import {
  defaultAnswer,
  FakeAnthropic,
  FakeAnthropicRequest,
  fakeAnthropicError,
  longLecture,
  startFakeAnthropic,
} from '@study-buddy/testing';
import { TransientFailure } from '../../domain/pipeline-error';
import { ModelCall, modelCallsOf, NoteRequest, PartStore } from '../../domain/study-note';
import { joinLines } from '../../domain/transcript-text';
import { ClaudeNoteWriter } from './claude-note-writer';
import { estimateTokens } from './token-estimate';

const BUDGET = 8000;
const lecture = longLecture(30_000);
const timed = joinLines(lecture.map((l) => ({ start: l.start, text: l.text })));
const starts = new Set(lecture.map((l) => l.start));
const baseRequest: NoteRequest = {
  transcript: timed.text,
  timeline: timed.timeline,
  videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  youtubeVideoId: 'dQw4w9WgXcQ',
  includeAssessment: true,
};
const citedSeconds = (lines: string[]) =>
  lines.flatMap((l) => [...l.matchAll(/\?t=(\d+)\)/g)].map((m) => Number(m[1])));
/** What the writer's own estimate makes of a request as sent: everything the model reads. */
const estimated = (r: FakeAnthropicRequest) =>
  estimateTokens(String(r.body.system)) +
  r.body.messages[0].content.reduce((n: number, b: { text: string }) => n + estimateTokens(b.text), 0) +
  estimateTokens(JSON.stringify(r.body.output_config));
const isPart = (r: FakeAnthropicRequest) => /^Part \d+ of \d+ of a long/m.test(r.body.messages[0].content[0].text);
/** The seconds a part's transcript block covers. */
const partSeconds = (r: FakeAnthropicRequest) =>
  [...String(r.body.messages[0].content[0].text).matchAll(/^\[(\d+)s\] /gm)].map((m) => Number(m[1]));

const memoryParts = (): PartStore & { stored: Map<string, unknown> } => {
  const stored = new Map<string, unknown>();
  return {
    stored,
    get: async (i, hash) => stored.get(`${i}-${hash}`) ?? null,
    put: async (i, hash, value) => void stored.set(`${i}-${hash}`, value),
  };
};

describe('ClaudeNoteWriter with a 3-hour lecture (map, reduce, resume)', () => {
  let fake: FakeAnthropic;
  let writer: ClaudeNoteWriter;

  beforeAll(() => Logger.overrideLogger(false));
  beforeAll(async () => (fake = await startFakeAnthropic()));
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 1 });
    writer = new ClaudeNoteWriter({
      client,
      model: 'claude-sonnet-5-5',
      maxOutputTokens: 4096,
      assessmentQuestions: 6,
      inputTokenBudget: BUDGET,
    });
  });

  it('offers the user’s subjects in the combine request only, leaving the parts’ requests as they were', async () => {
    const without = await writer.write(baseRequest);
    const plainParts = fake.requests.filter(isPart).map((r) => r.body);
    fake.reset();
    const note = await writer.write({ ...baseRequest, existingSubjects: ['History', 'Calvin Cycle'] });
    const parts = fake.requests.filter(isPart);
    expect(parts.map((r) => r.body)).toEqual(plainParts);
    const combine = fake.requests.find((r) => !isPart(r))!;
    expect(combine.body.messages[0].content[1].text).toContain('["History","Calvin Cycle"]');
    expect(note.subject).toBe('Calvin Cycle');
    expect(without.subject).toBe('Science');
  });

  it('writes a note per part within the budget, then one note citing moments from every part', async () => {
    const note = await writer.write(baseRequest);
    const parts = fake.requests.filter(isPart);
    expect(parts.length).toBeGreaterThan(5);
    expect(fake.requests).toHaveLength(parts.length + 1); // the parts, then one combine request
    for (const r of fake.requests) expect(estimated(r)).toBeLessThanOrEqual(BUDGET);
    // each block is read once: not written to the prompt cache, which costs more than plain input
    for (const r of fake.requests) expect(r.body.messages[0].content[0]).not.toHaveProperty('cache_control');
    expect(note.usage!.map((u) => u.purpose)).toEqual([...parts.map(() => 'note-part'), 'note-combine']);

    // every part's moments, and only moments of the transcript, are cited by the combined note
    const cited = citedSeconds([...note.keyPoints, ...note.examples]);
    for (const s of cited) expect(starts).toContain(s);
    for (const part of parts) {
      const own = partSeconds(part);
      expect(cited.some((s) => s >= own[0] && s <= own[own.length - 1])).toBe(true);
    }
    expect(note.wordCount).toBeGreaterThan(29_000);
    const combine = fake.requests[fake.requests.length - 1].body.messages[0].content;
    expect(combine[0].text).toContain(`Part ${parts.length} of ${parts.length}: `);
    expect(combine[1].text).toMatch(/^Combine these partial notes/);
  });

  it('keeps each part to its own moments: a second from another part loses its link', async () => {
    const parts = memoryParts();
    const answer = defaultAnswer({ messages: [{ content: '[3s] x' }] }) as Record<string, unknown>;
    fake.enqueue({
      kind: 'message',
      json: { ...answer, keyPoints: [{ text: 'Late.', seconds: lecture[lecture.length - 1].start }], examples: [] },
    });
    await writer.write({ ...baseRequest, parts });
    const [first] = [...parts.stored.entries()].filter(([k]) => k.startsWith('0-'));
    expect((first[1] as { keyPoints: unknown[] }).keyPoints).toEqual([{ text: 'Late.', seconds: null }]);
  });

  it('resumes after a failed part without asking again for the parts already finished', async () => {
    const parts = memoryParts();
    const recorded: ModelCall[] = [];
    const request = { ...baseRequest, parts, recordCalls: async (c: ModelCall[]) => void recorded.push(...c) };
    fake.enqueue({ kind: 'default' }, { kind: 'default' }, fakeAnthropicError(500), fakeAnthropicError(500));
    const failed = await writer.write(request).catch((e) => e);
    expect(failed).toBeInstanceOf(TransientFailure);
    expect(parts.stored.size).toBe(2);
    expect(recorded.map((c) => c.purpose)).toEqual(['note-part', 'note-part']); // billed, and recorded at once
    expect(modelCallsOf(failed)).toEqual([]); // nothing more to record: the failed call's errors are not billed

    const firstRun = fake.requests.filter((r) => r.body).map((r) => r.body.messages[0].content[0].text);
    fake.reset();
    const note = await writer.write(request);
    const again = fake.requests.map((r) => r.body.messages[0].content[0].text);
    expect(again).not.toContain(firstRun[0]);
    expect(again).not.toContain(firstRun[1]);
    expect(again[0]).toBe(firstRun[2]); // the failed part is the first one asked for
    expect(note.usage!.map((u) => u.purpose)).toEqual(['note-combine']); // the parts went to recordCalls
    expect(citedSeconds(note.keyPoints).length).toBeGreaterThan(2);
  });

  it('does not reuse a finished part written from other text (a different split)', async () => {
    const parts = memoryParts();
    await writer.write({ ...baseRequest, parts });
    const count = fake.requests.length;
    fake.reset();
    const other = new ClaudeNoteWriter({
      client: new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 1 }),
      model: 'claude-sonnet-5-5',
      maxOutputTokens: 4096,
      assessmentQuestions: 6,
      inputTokenBudget: BUDGET + 3000,
    });
    await other.write({ ...baseRequest, parts });
    const asked = fake.requests.filter(isPart);
    const total = Number(/^Part \d+ of (\d+) of a long/m.exec(asked[0].body.messages[0].content[0].text)![1]);
    expect(total).toBeLessThan(count - 1); // a different split…
    expect(asked).toHaveLength(total); // …of which no part was taken from the first
    expect(parts.stored.size).toBe(count - 1 + total);
  });

  it('assesses a long lecture from its note and a transcript sample, within the budget', async () => {
    const note = await writer.write(baseRequest);
    fake.reset();
    const { questions, usage } = await writer.assess(baseRequest, note);
    expect(questions).toHaveLength(6);
    expect(fake.requests).toHaveLength(1);
    expect(estimated(fake.requests[0])).toBeLessThanOrEqual(BUDGET);
    const block = fake.requests[0].body.messages[0].content[0].text;
    expect(block).toContain('Its study note:');
    expect(block).toContain(note.title);
    const sampled = partSeconds(fake.requests[0]);
    expect(sampled.length).toBeGreaterThan(10);
    expect(sampled[sampled.length - 1]).toBeGreaterThan(lecture[lecture.length - 1].start * 0.8); // the whole lecture
    expect(usage.map((u) => u.purpose)).toEqual(['assessment']);
  });

  it('writes a short lecture in one request, as before', async () => {
    const short = joinLines(lecture.slice(0, 40).map((l) => ({ start: l.start, text: l.text })));
    await writer.write({ ...baseRequest, transcript: short.text, timeline: short.timeline });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].body.messages[0].content[0].text).toMatch(/^Transcript \(each line/);
  });

  it('splits a long transcript without timings on sentences, citing no moments', async () => {
    const plain = lecture.map((l) => l.text).join(' ');
    const note = await writer.write({ ...baseRequest, transcript: plain, timeline: [] });
    expect(fake.requests.filter(isPart).length).toBeGreaterThan(5);
    for (const r of fake.requests) expect(estimated(r)).toBeLessThanOrEqual(BUDGET);
    expect(citedSeconds([...note.keyPoints, ...note.examples])).toEqual([]);
    expect(note.keyPoints.length).toBeGreaterThan(0);
  });
});
