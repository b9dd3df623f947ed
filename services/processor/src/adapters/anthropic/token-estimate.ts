/**
 * A conservative local estimate of how many tokens Claude's tokenizer makes of
 * a text, used to keep every request within ANTHROPIC_INPUT_TOKEN_BUDGET.
 *
 * Why local, not the count-tokens endpoint: splitting a transcript needs the
 * size of every line and every candidate chunk; asking the API for each would
 * add a round trip (and its own rate limit and failures) per candidate before
 * any note is written. English averages ~4 characters per token; counting 3
 * per ASCII character and 1.5 tokens per other character (CJK is ~1 per
 * character, accented Latin far less) over-estimates, so a chunk the estimate
 * admits is within the budget, and the budget's default stays far below the
 * model's context to absorb the rest.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 3 + other * 1.5);
}
