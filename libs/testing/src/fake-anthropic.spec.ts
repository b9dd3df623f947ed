import Anthropic from '@anthropic-ai/sdk';
import { defaultAnswer, FakeAnthropic, fakeAnthropicError, startFakeAnthropic } from './fake-anthropic';

/** The fake's streaming wire format, read by the real SDK's `messages.stream()`. */
describe('fake Messages API, streamed', () => {
  let fake: FakeAnthropic;
  let client: Anthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 1, timeout: 2000 });
  });

  const transcript = {
    type: 'text' as const,
    text: '[3s] Cells divide.\n[9s] DNA copies.',
    cache_control: { type: 'ephemeral' as const },
  };
  const params = (maxTokens = 1024) => ({
    model: 'claude-sonnet-5-5',
    max_tokens: maxTokens,
    messages: [{ role: 'user' as const, content: [transcript, { type: 'text' as const, text: 'Write a note.' }] }],
  });
  const textOf = (m: Anthropic.Message) => m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');

  it('streams the answer event by event, with the usage and caching of the JSON answer', async () => {
    const stream = client.messages.stream(params());
    const events: string[] = [];
    stream.on('streamEvent', (e) => events.push(e.type));
    const first = await stream.finalMessage();
    expect(events[0]).toBe('message_start');
    expect(events.slice(1, 3)).toEqual(['content_block_start', 'content_block_delta']);
    expect(events.filter((e) => e === 'content_block_delta').length).toBeGreaterThan(1);
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(JSON.parse(textOf(first))).toMatchObject({ keyPoints: [{ seconds: 3 }, { seconds: 9 }, { seconds: 3 }] });
    expect(first.stop_reason).toBe('end_turn');
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(first.usage.output_tokens).toBe(Math.ceil(textOf(first).length / 4));
    expect(fake.requests[0].body.stream).toBe(true);
    // the same prefix again, not streamed: read from the cache, the same answer's size
    const second = await client.messages.create(params());
    expect(second.usage).toMatchObject({
      cache_read_input_tokens: first.usage.cache_creation_input_tokens,
      cache_creation_input_tokens: 0,
      input_tokens: first.usage.input_tokens,
      output_tokens: first.usage.output_tokens,
    });
  });

  it('streams a scripted answer cut off at the output-token limit', async () => {
    fake.enqueue({
      kind: 'message',
      text: '{"title": "Cells',
      stopReason: 'max_tokens',
      usage: { output_tokens: 1024 },
    });
    const message = await client.messages.stream(params()).finalMessage();
    expect(message).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 1024 } });
    expect(textOf(message)).toBe('{"title": "Cells');
  });

  it('answers 529 and 429 before a stream starts, as HTTP errors the SDK retries honouring retry-after', async () => {
    fake.enqueue(fakeAnthropicError(529, 0), { kind: 'message', text: 'fine' });
    await expect(client.messages.stream(params()).finalMessage()).resolves.toMatchObject({
      content: [{ text: 'fine' }],
    });
    expect(fake.requests).toHaveLength(2);
    fake.setDefault(fakeAnthropicError(429, 0));
    const refused = await client.messages
      .stream(params())
      .finalMessage()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect(fake.requests).toHaveLength(4);
  });

  it('sends an error event mid-stream, which the SDK raises with its type and no status', async () => {
    fake.enqueue({ kind: 'stream-error', type: 'overloaded_error', message: 'Overloaded', afterChunks: 2 });
    const stream = client.messages.stream(params());
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ status: undefined, type: 'overloaded_error' });
    expect(texts).toHaveLength(2);
    // not streamed, the same script is an HTTP 529
    fake.setDefault({ kind: 'stream-error', type: 'overloaded_error', message: 'Overloaded' });
    await expect(client.messages.create(params(), { maxRetries: 0 })).rejects.toMatchObject({ status: 529 });
  });

  it('cuts the connection mid-stream, which is no API error', async () => {
    fake.enqueue({ kind: 'stream-cut', afterChunks: 1 });
    const error = await client.messages
      .stream(params())
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AnthropicError);
    expect(error).not.toBeInstanceOf(Anthropic.APIError);
    expect(fake.requests).toHaveLength(1); // the stream had begun: nothing for the SDK to retry
  });

  it('refuses a wrong key before streaming, and takes long max_tokens the SDK would not send unstreamed', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.baseUrl, maxRetries: 0 });
    await expect(wrong.messages.stream(params()).finalMessage()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    // (without a timeout of its own the SDK works one out from max_tokens, and refuses past ten minutes)
    const untimed = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 });
    expect(() => untimed.messages.create(params(64_000))).toThrow(/Streaming is required/);
    expect(fake.requests).toHaveLength(1);
    await expect(client.messages.stream(params(64_000)).finalMessage()).resolves.toMatchObject({
      stop_reason: 'end_turn',
    });
    expect(fake.requests.at(-1)?.body.max_tokens).toBe(64_000);
  });
});

describe('fake Messages API, default note', () => {
  const ask = (instructions: string) =>
    defaultAnswer({
      messages: [
        {
          content: [
            { type: 'text', text: '[3s] Cells divide by mitosis.\n[9s] DNA copies first.' },
            { type: 'text', text: instructions },
          ],
        },
      ],
    }) as { subject: string };

  it('picks the first offered subject its transcript mentions, like the model asked to', () => {
    const offer = (subjects: string[]) =>
      `The user's existing subjects, most-used first: ${JSON.stringify(subjects)}. If the lecture belongs under one of them, use it.`;
    expect(ask(offer(['History', 'Mitosis', 'DNA'])).subject).toBe('Mitosis');
    // none mentioned (the offer itself is not the transcript): a new subject
    expect(ask(offer(['History', 'Existing'])).subject).toBe('Science');
    expect(ask('The subject is "Botany".').subject).toBe('Botany');
  });
});
