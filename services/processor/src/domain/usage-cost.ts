import { ModelCall } from './study-note';

/** USD per million tokens, as Anthropic's price list states them. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}
/** By model id; `*` prices any model not listed. */
export type PriceTable = Record<string, ModelPrice>;

/** Sonnet-class list prices: an estimate until the operator sets the contract's (ANTHROPIC_PRICES). */
export const DEFAULT_PRICES: PriceTable = { '*': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } };

export interface UsageTotal {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Estimated from the price table; null when a call's model has no price (and no `*`). */
  estimatedCostUsd: number | null;
}

export function totalUsage(calls: ModelCall[], prices: PriceTable): UsageTotal {
  let cost: number | null = 0;
  const total = { calls: calls.length, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  for (const c of calls) {
    total.inputTokens += c.inputTokens;
    total.outputTokens += c.outputTokens;
    total.cacheReadTokens += c.cacheReadTokens;
    total.cacheWriteTokens += c.cacheWriteTokens;
    const price = prices[c.model] ?? prices['*'];
    if (!price || cost === null) cost = null;
    else
      cost +=
        (c.inputTokens * price.input +
          c.outputTokens * price.output +
          c.cacheReadTokens * price.cacheRead +
          c.cacheWriteTokens * price.cacheWrite) /
        1_000_000;
  }
  // Micro-dollars are as precise as an estimate gets.
  return { ...total, estimatedCostUsd: cost === null ? null : Math.round(cost * 1_000_000) / 1_000_000 };
}
