import { ModelCall } from './study-note';
import { addCalls, DEFAULT_PRICES, priceUsage, totalUsage } from './usage-cost';

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

describe('addCalls and priceUsage', () => {
  it('keeps a running total per model and prices it like the calls one by one', () => {
    const first = addCalls({}, [call('a')]);
    const both = addCalls(first, [call('b', { outputTokens: 0 }), call('a', { inputTokens: 0 })]);
    expect(first.a.calls).toBe(1); // the earlier total is not changed in place
    expect(both.a).toEqual({
      calls: 2,
      inputTokens: 1_000_000,
      outputTokens: 200_000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(priceUsage(both, DEFAULT_PRICES)).toEqual(
      totalUsage([call('a'), call('b', { outputTokens: 0 }), call('a', { inputTokens: 0 })], DEFAULT_PRICES),
    );
  });

  it('treats a model id named like an object property as any other model', () => {
    const odd = addCalls({}, [call('__proto__'), call('constructor')]);
    expect(Object.keys(odd).sort()).toEqual(['__proto__', 'constructor']);
    expect(priceUsage(odd, DEFAULT_PRICES)).toMatchObject({ calls: 2, estimatedCostUsd: 2 * (3 + 1.5) });
  });
});
