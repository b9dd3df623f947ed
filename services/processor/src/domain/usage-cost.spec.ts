import { ModelCall } from './study-note';
import { DEFAULT_PRICES, totalUsage } from './usage-cost';

const call = (model: string, tokens: Partial<ModelCall> = {}): ModelCall => ({
  purpose: 'note',
  model,
  inputTokens: 1_000_000,
  outputTokens: 100_000,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  ...tokens,
});

describe('totalUsage', () => {
  it('adds the tokens of every call and prices them per million tokens', () => {
    const total = totalUsage(
      [
        call('a'),
        call('a', { inputTokens: 0, outputTokens: 0, cacheReadTokens: 2_000_000, cacheWriteTokens: 1_000_000 }),
      ],
      DEFAULT_PRICES,
    );
    expect(total).toEqual({
      calls: 2,
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 2_000_000,
      cacheWriteTokens: 1_000_000,
      estimatedCostUsd: 3 + 1.5 + 0.6 + 3.75,
    });
  });

  it('uses a model’s own price before the `*` one, and gives no estimate for a model with no price', () => {
    const prices = { cheap: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 } };
    expect(totalUsage([call('cheap')], { ...DEFAULT_PRICES, ...prices }).estimatedCostUsd).toBe(1.1);
    expect(totalUsage([call('unknown')], prices).estimatedCostUsd).toBeNull();
    expect(totalUsage([], prices)).toMatchObject({ calls: 0, estimatedCostUsd: 0 });
  });
});
