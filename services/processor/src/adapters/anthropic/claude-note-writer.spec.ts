import Anthropic from '@anthropic-ai/sdk';
import {
  cuesOf,
  defaultAnswer,
  FakeAnthropic,
  fakeAnthropicError,
  LECTURE_SENTENCES,
  startFakeAnthropic,
} from '@study-buddy/testing';
import { PipelineError, TransientFailure } from '../../domain/pipeline-error';
import { modelCallsOf, NoteRequest } from '../../domain/study-note';
import { joinLines } from '../../domain/transcript-text';
import { ClaudeNoteWriter } from './claude-note-writer';

const timed = joinLines(cuesOf(LECTURE_SENTENCES).map(([start, , text]) => ({ start, text })));
const request: NoteRequest = {
  transcript: timed.text,
  timeline: timed.timeline,
  videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  youtubeVideoId: 'dQw4w9WgXcQ',
  includeAssessment: true,
};
const starts = new Set(timed.timeline.map((t) => Math.floor(t.start)));
const citedSeconds = (lines: string[]) =>
  lines.flatMap((l) => [...l.matchAll(/\?t=(\d+)\)/g)].map((m) => Number(m[1])));

describe('ClaudeNoteWriter against the fake Messages API', () => {
  let fake: FakeAnthropic;
  let writer: ClaudeNoteWriter;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 1, timeout: 2000 });
    writer = new ClaudeNoteWriter({
      client,
      model: 'claude-sonnet-5-5',
      maxOutputTokens: 4096,
      assessmentQuestions: 6,
    });
  });

  it('writes the note from structured output, citing only moments of the transcript, in the asked language', async () => {
    const note = await writer.write({ ...request, language: 'de', subject: 'Biology' });
    expect(note.title).toContain('Claude');
    expect(note.subject).toBe('Biology');
    expect(note.language).toBe('de');
    const seconds = citedSeconds([...note.keyPoints, ...note.examples]);
    expect(seconds.length).toBeGreaterThan(0);
    for (const s of seconds) expect(starts).toContain(s);
    const [sent] = fake.requests;
    expect(sent.headers['x-api-key'] ?? sent.headers.authorization).toBeTruthy();
    expect(sent.body.output_config.format.type).toBe('json_schema');
    expect(sent.body).not.toHaveProperty('temperature');
    expect(sent.body.messages[0].content[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(sent.body.messages[0].content[0].text).toMatch(/^\[3s\] /m);
    expect(sent.body.messages[0].content[1].text).toContain('"de"');
    expect(note.usage).toEqual([
      expect.objectContaining({ purpose: 'note', model: 'claude-sonnet-5-5', cacheWriteTokens: expect.any(Number) }),
    ]);
    expect(note.usage![0].cacheWriteTokens).toBeGreaterThan(0);
  });

  it('asks for the assessment with the same cached transcript prefix, and the configured count', async () => {
    const note = await writer.write(request);
    const { questions, usage } = await writer.assess(request, note);
    expect(questions).toHaveLength(6);
    expect(questions.every((q) => q.modelAnswer.length > 0)).toBe(true);
    expect(fake.requests[1].body.messages[0].content[0]).toEqual(fake.requests[0].body.messages[0].content[0]);
    expect(usage[0]).toMatchObject({ purpose: 'assessment', cacheWriteTokens: 0 });
    expect(usage[0].cacheReadTokens).toBeGreaterThan(0);
  });

  it('offers the user’s subjects and files the note under the one the lecture belongs to', async () => {
    const note = await writer.write({ ...request, existingSubjects: ['History', 'Photosynthesis'] });
    expect(note.subject).toBe('Photosynthesis');
    const instructions = fake.requests[0].body.messages[0].content[1].text;
    expect(instructions).toContain('existing subjects, most-used first: ["History","Photosynthesis"]');
    // the transcript block is unchanged: the assessment still reads it from the cache
    expect(fake.requests[0].body.messages[0].content[0].text).not.toContain('History');
  });

  it('spells a chosen subject as the user does when it matches case- and space-insensitively', async () => {
    const answer = defaultAnswer({ messages: [{ content: 'x' }] }) as object;
    fake.enqueue({ kind: 'message', json: { ...answer, subject: ' computer  SCIENCE' } });
    const note = await writer.write({ ...request, existingSubjects: ['Biology', 'Computer Science'] });
    expect(note.subject).toBe('Computer Science');
    fake.enqueue({ kind: 'message', json: { ...answer, subject: 'Astronomy' } });
    expect((await writer.write({ ...request, existingSubjects: ['Biology'] })).subject).toBe('Astronomy');
  });

  it('lists no subjects when the submission names one or the user has none', async () => {
    await writer.write({ ...request, subject: 'Botany', existingSubjects: ['History'] });
    await writer.write({ ...request, existingSubjects: [] });
    const [named, none] = fake.requests.map((r) => r.body.messages[0].content[1].text as string);
    expect(named).toContain('The subject is "Botany".');
    expect(named).not.toContain('existing subjects');
    expect(none).not.toContain('existing subjects');
  });

  it('moves a cited second inside a line to that line, and drops a moment the transcript does not have', async () => {
    const answer = defaultAnswer({ messages: [{ content: 'x' }] }) as { keyPoints: unknown[] };
    fake.enqueue({
      kind: 'message',
      json: {
        ...answer,
        keyPoints: [
          { text: 'Inside the second line.', seconds: 12 },
          { text: 'Long after the lecture.', seconds: 99_999 },
          { text: 'At a marker.', seconds: 17 },
        ],
        examples: [],
      },
    });
    const note = await writer.write(request);
    expect(note.keyPoints).toEqual([
      'Inside the second line. [00:10](https://youtu.be/dQw4w9WgXcQ?t=10)',
      'Long after the lecture.',
      'At a marker. [00:17](https://youtu.be/dQw4w9WgXcQ?t=17)',
    ]);
  });

  it('repairs an invalid answer once, sending the validation errors', async () => {
    fake.enqueue({ kind: 'message', json: { title: 'Only a title' } });
    const note = await writer.write(request);
    expect(note.keyPoints.length).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(2);
    const repair = JSON.stringify(fake.requests[1].body.messages);
    expect(repair).toContain('not valid');
    expect(repair).toContain('summary');
    expect(note.usage!.map((u) => u.purpose)).toEqual(['note', 'note-repair']);
  });

  it('fails transiently when the answer is still cut off after the repair', async () => {
    fake.enqueue({ kind: 'message', text: '{"title": "cut', stopReason: 'max_tokens' });
    fake.enqueue({ kind: 'message', text: '{"title": "cut again', stopReason: 'max_tokens' });
    const e = await writer.write(request).catch((x) => x);
    expect(e).toBeInstanceOf(TransientFailure);
    expect(fake.requests).toHaveLength(2);
    // both answers were billed: the failure carries their usage for the job to record
    expect(modelCallsOf(e).map((c) => c.purpose)).toEqual(['note', 'note-repair']);
    expect(JSON.stringify(fake.requests[1].body.messages)).toContain('cut off');
  });

  it('rides out a 529 with retry-after through the SDK’s retry', async () => {
    fake.enqueue(fakeAnthropicError(529, 0));
    await writer.write(request);
    expect(fake.requests).toHaveLength(2);
  });

  it('turns overload that outlasts the SDK’s retries into a transient failure', async () => {
    fake.setDefault(fakeAnthropicError(529, 0));
    const e = await writer.write(request).catch((x) => x);
    expect(e).toBeInstanceOf(TransientFailure);
    expect(e.reason).toBe('overloaded');
    expect(fake.requests).toHaveLength(2); // maxRetries 1: the worst case is (maxRetries + 1) per delivery
  });

  it('streams every call, and reads an overloaded_error event mid-stream as overload, a cut stream as transient', async () => {
    fake.enqueue({ kind: 'stream-error', type: 'overloaded_error', message: 'Overloaded', afterChunks: 3 });
    const overloaded = await writer.write(request).catch((x) => x);
    expect(overloaded).toBeInstanceOf(TransientFailure);
    expect(overloaded.reason).toBe('overloaded');
    expect(fake.requests).toHaveLength(1); // the SDK does not retry a stream that already began
    expect(fake.requests[0].body.stream).toBe(true);
    fake.enqueue({ kind: 'stream-cut', afterChunks: 2 });
    const cut = await writer.write(request).catch((x) => x);
    expect(cut).toBeInstanceOf(TransientFailure);
    expect(cut.reason).toBe('interrupted');
    fake.enqueue({ kind: 'stream-error', type: 'invalid_request_error', message: 'Bad', afterChunks: 1 });
    expect(await writer.write(request).catch((x) => x)).toMatchObject({ retryable: false });
  });

  it('fails at once, without the key in the message, when the key is refused', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-revoked', baseURL: fake.baseUrl, maxRetries: 2 });
    const e = await new ClaudeNoteWriter({ client, model: 'm', maxOutputTokens: 1000, assessmentQuestions: 6 })
      .write(request)
      .catch((x) => x);
    expect(e).toBeInstanceOf(PipelineError);
    expect(e.message).toContain('API key');
    expect(e.message).not.toContain('sk-ant');
    expect(fake.requests).toHaveLength(1);
  });

  it('fails at once on a refused request and on an exhausted spend limit', async () => {
    fake.enqueue(fakeAnthropicError(400));
    const refused = await writer.write(request).catch((x) => x);
    expect(refused).toBeInstanceOf(PipelineError);
    expect(refused.retryable).toBe(false);
    fake.enqueue({
      kind: 'error',
      status: 400,
      type: 'invalid_request_error',
      message: 'Your credit balance is too low',
    });
    const broke = await writer.write(request).catch((x) => x);
    expect(broke.message).toContain('spend limit');
    expect(broke.retryable).toBe(true);
  });

  it('treats a 500 with an HTML body and a slow answer as transient', async () => {
    fake.setDefault({ kind: 'raw', status: 500, body: '<html>oops</html>' });
    expect(await writer.write(request).catch((x) => x)).toBeInstanceOf(TransientFailure);
    fake.setDefault({ kind: 'default', delayMs: 3000 });
    const slow = await writer.write(request).catch((x) => x);
    expect(slow).toBeInstanceOf(TransientFailure);
    expect(slow.reason).toBe('timeout');
  }, 20_000);
});
