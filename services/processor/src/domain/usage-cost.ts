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

/** One model's calls added up: what a job keeps while it runs, priced only when it ends. */
export interface ModelTokens {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}
/** By model id: each model has its own price. */
export type UsageByModel = Record<string, ModelTokens>;

const NO_TOKENS: ModelTokens = { calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
// Model ids come from the API's answers: never let one read an inherited property.
const own = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

/** `byModel` with `calls` added (a new object: deciders' states are never changed in place). */
export function addCalls(byModel: UsageByModel, calls: ModelCall[]): UsageByModel {
  const sum: UsageByModel = { ...byModel };
  for (const c of calls) {
    const t = own(sum, c.model) ?? NO_TOKENS;
    const value: ModelTokens = {
      calls: t.calls + 1,
      inputTokens: t.inputTokens + c.inputTokens,
      outputTokens: t.outputTokens + c.outputTokens,
      cacheReadTokens: t.cacheReadTokens + c.cacheReadTokens,
      cacheWriteTokens: t.cacheWriteTokens + c.cacheWriteTokens,
    };
    Object.defineProperty(sum, c.model, { value, enumerable: true, writable: true, configurable: true });
  }
  return sum;
}

/** Every model's tokens added up and priced with the table. */
export function priceUsage(byModel: UsageByModel, prices: PriceTable): UsageTotal {
  let cost: number | null = 0;
  const total = { ...NO_TOKENS };
  for (const [model, t] of Object.entries(byModel)) {
    total.calls += t.calls;
    total.inputTokens += t.inputTokens;
    total.outputTokens += t.outputTokens;
    total.cacheReadTokens += t.cacheReadTokens;
    total.cacheWriteTokens += t.cacheWriteTokens;
    const price = own(prices, model) ?? own(prices, '*');
    if (!price || cost === null) cost = null;
    else
      cost +=
        (t.inputTokens * price.input +
          t.outputTokens * price.output +
          t.cacheReadTokens * price.cacheRead +
          t.cacheWriteTokens * price.cacheWrite) /
        1_000_000;
  }
  // Micro-dollars are as precise as an estimate gets.
  return { ...total, estimatedCostUsd: cost === null ? null : Math.round(cost * 1_000_000) / 1_000_000 };
}

export function totalUsage(calls: ModelCall[], prices: PriceTable): UsageTotal {
  return priceUsage(addCalls({}, calls), prices);
}
