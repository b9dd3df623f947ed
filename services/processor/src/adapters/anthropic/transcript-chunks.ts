import { estimateTokens } from './token-estimate';

/** One line of the transcript as the model reads it: `[<seconds>s] text`, or plain text without timings. */
export interface TranscriptLine {
  seconds: number | null;
  text: string;
}

export interface TranscriptChunk {
  index: number;
  lines: TranscriptLine[];
  /** The lines as sent: one `[<seconds>s] text` line each. */
  text: string;
  /** Its estimated tokens (≤ the budget). */
  tokens: number;
}

export const lineText = (l: TranscriptLine) => (l.seconds === null ? l.text : `[${l.seconds}s] ${l.text}`);
const cost = (l: TranscriptLine) => estimateTokens(lineText(l) + '\n');

/**
 * Splits transcript lines into chunks of at most `budget` estimated tokens, on
 * line (timeline segment) boundaries, each chunk after the first repeating the
 * previous chunk's last lines (up to `overlap` tokens) so a point spoken across
 * the boundary is seen whole by one of them. A line too long for a chunk on its
 * own is cut at sentence, else word, boundaries into lines with the same second.
 */
export function splitTranscript(
  lines: TranscriptLine[],
  { budget, overlap }: { budget: number; overlap: number },
): TranscriptChunk[] {
  if (budget < 50) throw new Error(`a chunk budget of ${budget} tokens is too small to split a transcript`);
  const overlapTokens = Math.min(overlap, Math.floor(budget / 4));
  // Any line fits beside a full overlap, so every chunk takes at least one new line.
  const pieces = lines.flatMap((l) => cutLine(l, budget - overlapTokens));
  const costs = pieces.map(cost);
  const chunks: TranscriptChunk[] = [];
  let next = 0;
  let previousStart = 0;
  while (next < pieces.length) {
    let start = next;
    let tokens = 0;
    // the overlap never reaches back to the previous chunk's first line, so chunks always move on
    if (chunks.length > 0)
      while (start - 1 > previousStart && tokens + costs[start - 1] <= overlapTokens) tokens += costs[--start];
    let end = next;
    while (end < pieces.length && tokens + costs[end] <= budget) tokens += costs[end++];
    const chunkLines = pieces.slice(start, end);
    const text = chunkLines.map(lineText).join('\n');
    chunks.push({ index: chunks.length, lines: chunkLines, text, tokens: estimateTokens(text) });
    previousStart = start;
    next = end;
  }
  return chunks;
}

/** The line itself when it fits, else pieces at sentence (then word, then character) boundaries that do. */
function cutLine(line: TranscriptLine, max: number): TranscriptLine[] {
  if (cost(line) <= max) return [line];
  const pieces: TranscriptLine[] = [];
  let current = '';
  const units = line.text.split(/(?<=[.!?])\s+/).flatMap((s) => (fits(s) ? [s] : s.split(/\s+/)));
  for (const unit of units.flatMap((u) => (fits(u) ? [u] : hardCut(u)))) {
    const joined = current ? `${current} ${unit}` : unit;
    if (fits(joined)) current = joined;
    else {
      pieces.push({ seconds: line.seconds, text: current });
      current = unit;
    }
  }
  if (current) pieces.push({ seconds: line.seconds, text: current });
  return pieces;

  function fits(text: string) {
    return cost({ seconds: line.seconds, text }) <= max;
  }
  function hardCut(word: string): string[] {
    const out: string[] = [];
    let piece = '';
    for (const ch of word) {
      if (piece && !fits(piece + ch)) {
        out.push(piece);
        piece = '';
      }
      piece += ch;
    }
    return piece ? [...out, piece] : out;
  }
}
