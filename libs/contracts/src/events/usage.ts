import { z } from 'zod';

/** Model-token usage, recorded by the processor and shown per video. */
const tokens = z.number().int().nonnegative();
export const modelCallSchema = z.object({
  purpose: z.enum([
    'note',
    'note-repair',
    'assessment',
    'assessment-repair',
    // a long transcript: each part (map), then the parts combined (reduce)
    'note-part',
    'note-part-repair',
    'note-combine',
    'note-combine-repair',
  ]),
  model: z.string().min(1).max(100),
  inputTokens: tokens,
  outputTokens: tokens,
  cacheReadTokens: tokens,
  cacheWriteTokens: tokens,
});
export type ModelCallUsage = z.infer<typeof modelCallSchema>;

/** A job's model calls added up, with the cost the processor's price table estimates (null: no price for a model). */
export const usageTotalSchema = z.object({
  calls: z.number().int().nonnegative(),
  inputTokens: tokens,
  outputTokens: tokens,
  cacheReadTokens: tokens,
  cacheWriteTokens: tokens,
  estimatedCostUsd: z.number().nonnegative().nullable(),
});
export type UsageTotal = z.infer<typeof usageTotalSchema>;
