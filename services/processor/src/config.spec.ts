import { loadProcessorEnv, noteWriterKind, processorEnvSchema } from './config';
import { DEFAULT_PRICES } from './domain/usage-cost';

describe('processor configuration', () => {
  it('writes with Claude when there is a key, offline without one, unless NOTE_WRITER says', () => {
    expect(noteWriterKind(processorEnvSchema.parse({}))).toBe('offline');
    expect(noteWriterKind(processorEnvSchema.parse({ ANTHROPIC_API_KEY: 'k' }))).toBe('claude');
    expect(noteWriterKind(processorEnvSchema.parse({ ANTHROPIC_API_KEY: 'k', NOTE_WRITER: 'offline' }))).toBe(
      'offline',
    );
  });

  it('refuses NOTE_WRITER=claude without a key, naming the variable', () => {
    const saved = process.env.NOTE_WRITER;
    process.env.NOTE_WRITER = 'claude';
    try {
      expect(() => loadProcessorEnv()).toThrow(/ANTHROPIC_API_KEY/);
    } finally {
      if (saved === undefined) delete process.env.NOTE_WRITER;
      else process.env.NOTE_WRITER = saved;
    }
  });

  it('reads a price table as JSON, and refuses one that is not', () => {
    expect(processorEnvSchema.parse({}).ANTHROPIC_PRICES).toEqual(DEFAULT_PRICES);
    const table = { 'claude-sonnet-5-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } };
    expect(processorEnvSchema.parse({ ANTHROPIC_PRICES: JSON.stringify(table) }).ANTHROPIC_PRICES).toEqual(table);
    const bad = processorEnvSchema.safeParse({ ANTHROPIC_PRICES: '{"x":{"input":"cheap"}}' });
    expect(bad.success).toBe(false);
    expect(processorEnvSchema.safeParse({ ANTHROPIC_PRICES: 'not json' }).success).toBe(false);
  });
});
