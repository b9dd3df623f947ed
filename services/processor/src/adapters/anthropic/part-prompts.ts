import { createHash } from 'node:crypto';
import { NoteRequest, StudyNote } from '../../domain/study-note';
import { NoteOutput } from './note-schema';
import { estimateTokens } from './token-estimate';
import { lineText, TranscriptChunk, TranscriptLine } from './transcript-chunks';
import { transcriptSegments } from './transcript-prompt';

/** The transcript as lines to split: its timed lines, or its sentences when it has no timings. */
export function transcriptLines(request: NoteRequest): TranscriptLine[] {
  const timed = transcriptSegments(request);
  if (timed.length > 0) return timed;
  return request.transcript
    .split(/(?<=[.!?])\s+|\n+/)
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => ({ seconds: null, text }));
}

const span = (chunk: TranscriptChunk) => {
  const seconds = chunk.lines.map((l) => l.seconds).filter((s): s is number => s !== null);
  return seconds.length ? ` (from ${seconds[0]}s to ${seconds[seconds.length - 1]}s)` : '';
};

/** The cached block of a part's requests: that part of the transcript only. */
export function partBlock(request: NoteRequest, chunk: TranscriptChunk, parts: number): string {
  const head = request.title ? `Lecture: ${request.title}\n` : '';
  const timed = chunk.lines.some((l) => l.seconds !== null);
  return `${head}Part ${chunk.index + 1} of ${parts} of a long lecture's transcript${span(chunk)}${
    timed ? ', each line starting with the second it is spoken at' : ''
  }:\n${chunk.text}`;
}

/**
 * Names a part's result in storage: the part's text and everything else that
 * shapes the answer, so a different split (or model, language, subject) never
 * reuses a result written for other text.
 */
export function partHash(request: NoteRequest, model: string, chunk: TranscriptChunk, parts: number): string {
  return createHash('sha256')
    .update(JSON.stringify([model, request.language ?? null, request.subject ?? null, parts, chunk.text]))
    .digest('hex')
    .slice(0, 32);
}

const cited = (p: { text: string; seconds: number | null }) => lineText({ seconds: p.seconds, text: p.text });

/** One part's partial note as the combine request reads it; `limit` caps each list. */
function renderPart(part: NoteOutput, index: number, parts: number, limit: number): string {
  const list = (title: string, items: string[]) =>
    items.length ? [`${title}:`, ...items.slice(0, limit)].join('\n') : '';
  return [
    `Part ${index + 1} of ${parts}: ${part.title}`,
    `Summary: ${limit >= 8 ? part.summary : part.summary.slice(0, 100 * limit)}`,
    list(
      'Concepts',
      part.concepts.map((c) => `- ${c.term}: ${c.definition}`),
    ),
    list('Key points', part.keyPoints.map(cited)),
    list('Examples', part.examples.map(cited)),
    limit >= 4
      ? list(
          'Definitions',
          part.definitions.map((d) => `- ${d.term}: ${d.definition}`),
        )
      : '',
    limit >= 4
      ? list(
          'Connections',
          part.connections.map((c) => `- ${c}`),
        )
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The combine request's block: every part's partial note, in order, each
 * trimmed further until the whole fits `budget` estimated tokens. Null when
 * not even the shortest form fits (a lecture far longer than any course's).
 */
export function partsBlock(request: NoteRequest, parts: NoteOutput[], budget: number): string | null {
  const head = request.title ? `Lecture: ${request.title}\n` : '';
  for (const limit of [20, 12, 8, 5, 3, 2, 1]) {
    const block = `${head}The lecture was too long to read at once, so it was read in ${parts.length} consecutive, slightly overlapping parts. The partial note of each part follows; lines starting with [<seconds>s] cite that second of the lecture.\n\n${parts
      .map((p, i) => renderPart(p, i, parts.length, limit))
      .join('\n\n')}`;
    if (estimateTokens(block) <= budget) return block;
  }
  return null;
}

/**
 * The assessment's block for a lecture too long for one request: the combined
 * note and, within what is left of the budget, lines sampled evenly from the
 * whole transcript, so the model answers grounded in the lecture's own words.
 */
export function assessmentBlock(request: NoteRequest, note: StudyNote, budget: number): string {
  const head = request.title ? `Lecture: ${request.title}\n` : '';
  const noteText = [
    `${head}The lecture is too long to quote whole. Its study note:`,
    `Title: ${note.title}`,
    `Summary: ${note.summary}`,
    'Concepts:',
    ...note.concepts.map((c) => `- ${c.term}: ${c.explanation}`),
    'Key points:',
    ...note.keyPoints.map((k) => `- ${k}`),
    ...(note.examples.length ? ['Examples:', ...note.examples.map((e) => `- ${e}`)] : []),
  ].join('\n');
  const intro = '\n\nLines sampled evenly from the transcript:\n';
  let left = budget - estimateTokens(noteText + intro);
  const lines = transcriptLines(request);
  const sample: string[] = [];
  if (left > 0) {
    const step = Math.max(1, Math.ceil((lines.length * 40) / Math.max(1, left))); // ~40 tokens a line
    for (let i = 0; i < lines.length; i += step) {
      const line = lineText(lines[i]);
      const cost = estimateTokens(line + '\n');
      if (cost > left) break;
      sample.push(line);
      left -= cost;
    }
  }
  return sample.length ? noteText + intro + sample.join('\n') : noteText;
}
