import { longLecture } from '@study-buddy/testing';
import { estimateTokens } from './token-estimate';
import { lineText, splitTranscript, TranscriptLine } from './transcript-chunks';

const lecture: TranscriptLine[] = longLecture(30_000).map((l) => ({ seconds: l.start, text: l.text }));
const tokensOf = (lines: TranscriptLine[]) => estimateTokens(lines.map(lineText).join('\n'));

describe('splitTranscript', () => {
  const chunks = splitTranscript(lecture, { budget: 6000, overlap: 200 });

  it('keeps every chunk of a 3-hour lecture within the budget', () => {
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(6000);
      expect(estimateTokens(c.text)).toBe(c.tokens);
      expect(c.text).toBe(c.lines.map(lineText).join('\n'));
    }
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  it('splits on line boundaries, covering every line in order', () => {
    const seen: TranscriptLine[] = [];
    for (const c of chunks) for (const l of c.lines) if (!seen.includes(l)) seen.push(l);
    expect(seen).toEqual(lecture); // the same line objects: none cut, none lost, none reordered
  });

  it('repeats a small overlap of the previous chunk’s last lines', () => {
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1].lines;
      const overlap = chunks[i].lines.filter((l) => previous.includes(l));
      expect(overlap.length).toBeGreaterThan(0);
      expect(tokensOf(overlap)).toBeLessThanOrEqual(200);
      expect(chunks[i].lines.slice(0, overlap.length)).toEqual(previous.slice(previous.length - overlap.length));
    }
  });

  it('takes everything in one chunk when it fits, and no overlap without a previous chunk', () => {
    const few = lecture.slice(0, 5);
    expect(splitTranscript(few, { budget: 6000, overlap: 200 })).toEqual([
      expect.objectContaining({ index: 0, lines: few }),
    ]);
  });

  it('cuts a line too long for a chunk at sentence boundaries, keeping its second', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `This is sentence number ${i} of a very long caption.`);
    const long: TranscriptLine = { seconds: 120, text: sentences.join(' ') };
    const split = splitTranscript([{ seconds: 3, text: 'Hello.' }, long], { budget: 100, overlap: 20 });
    expect(split.length).toBeGreaterThan(2);
    for (const c of split) expect(c.tokens).toBeLessThanOrEqual(100);
    const pieces = [...new Set(split.flatMap((c) => c.lines))].slice(1);
    expect(pieces.every((p) => p.seconds === 120 && /\.$/.test(p.text))).toBe(true);
    expect(pieces.map((p) => p.text).join(' ')).toBe(long.text);
  });

  it('splits an untimed transcript too, and cuts a word longer than a chunk', () => {
    const word = 'x'.repeat(1000);
    const split = splitTranscript([{ seconds: null, text: `short ${word}` }], { budget: 100, overlap: 0 });
    for (const c of split) expect(c.tokens).toBeLessThanOrEqual(100);
    expect(split.flatMap((c) => c.lines.map((l) => l.text)).join('')).toBe(`short${word}`);
  });

  it('refuses a budget too small to hold any text', () => {
    expect(() => splitTranscript(lecture, { budget: 10, overlap: 0 })).toThrow(/too small/);
  });
});

describe('estimateTokens', () => {
  it('over-estimates English (≈4 characters a token) and counts other scripts heavier', () => {
    const english = lecture
      .slice(0, 50)
      .map((l) => l.text)
      .join(' ');
    expect(estimateTokens(english)).toBeGreaterThan(english.length / 4);
    expect(estimateTokens('光合作用')).toBe(6);
  });
});
