import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { FakeAnthropic, startFakeAnthropic } from '@study-buddy/testing';
import { z } from 'zod';
import { streamedMessage } from './streamed-message';

describe('streamedMessage against the fake Messages API', () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const client = (timeout: number) =>
    new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0, timeout });
  const params = {
    model: 'claude-sonnet-5-5',
    max_tokens: 64_000,
    messages: [{ role: 'user' as const, content: 'Write.' }],
    output_config: { format: zodOutputFormat(z.object({ title: z.string() })) },
  };

  it('streams, sending the structured format as its plain JSON schema, and returns invalid output for the caller to judge', async () => {
    fake.enqueue({ kind: 'message', text: '{"title": 42' });
    const message = await streamedMessage(client(2000), params);
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: '{"title": 42' })]);
    const [sent] = fake.requests;
    expect(sent.body).toMatchObject({
      stream: true,
      max_tokens: 64_000,
      output_config: { format: { type: 'json_schema' } },
    });
    expect(sent.body.output_config.format.schema.properties.title).toEqual({ type: 'string' });
  });

  it('lets a slow but live stream run past the timeout, and aborts one that goes quiet for as long', async () => {
    const started = Date.now();
    fake.enqueue({ kind: 'message', text: 'x'.repeat(64 * 6), chunkDelayMs: 150 });
    await expect(streamedMessage(client(600), params)).resolves.toMatchObject({ stop_reason: 'end_turn' });
    expect(Date.now() - started).toBeGreaterThan(1200);
    fake.enqueue({ kind: 'message', text: 'x', chunkDelayMs: 2000 });
    const quiet = await streamedMessage(client(600), params).catch((e: unknown) => e);
    expect(quiet).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  }, 15_000);
});
