import { citeMoment } from '../../domain/citation';
import { NoteRequest } from '../../domain/study-note';

/** How far past a line's start a cited second may lie and still be that line's moment. */
const LINE_SPAN_SECONDS = 120;

/** The lines of a timed transcript, each with the whole second it starts at. */
export function transcriptSegments(request: NoteRequest): { seconds: number; text: string }[] {
  const timeline = request.timeline ?? [];
  return timeline
    .map((t, i) => ({
      seconds: Math.floor(t.start),
      text: request.transcript.slice(t.at, timeline[i + 1]?.at ?? request.transcript.length).trim(),
    }))
    .filter((s) => s.text);
}

/**
 * The transcript as the model reads it: one `[<seconds>s] text` line per
 * timed line, so it can only cite moments that exist; the same text for both
 * requests, which makes it the cached prefix.
 */
export function transcriptBlock(request: NoteRequest): string {
  const segments = transcriptSegments(request);
  const head = request.title ? `Lecture: ${request.title}\n` : '';
  if (segments.length === 0) return `${head}Transcript (no timings):\n${request.transcript}`;
  return `${head}Transcript (each line starts with the second it is spoken at):\n${segments
    .map((s) => `[${s.seconds}s] ${s.text}`)
    .join('\n')}`;
}

export type CitationOutcome = 'exact' | 'moved' | 'dropped' | 'none';

/**
 * Checks each cited moment against the transcript: a marker's second is kept;
 * a second inside a line is moved to that line's start; one outside every line
 * (or any second for an untimed transcript) loses its link but keeps the point.
 */
export function citeTimestamps(
  request: NoteRequest,
): (point: { text: string; seconds: number | null }) => { text: string; outcome: CitationOutcome } {
  const resolve = momentsOf(transcriptSegments(request).map((s) => s.seconds));
  return ({ text, seconds }) => {
    const moment = resolve(seconds);
    return {
      text: moment.seconds === null ? text : citeMoment(text, moment.seconds, request.youtubeVideoId),
      outcome: moment.outcome,
    };
  };
}

/** The same check against a given set of line starts (one part of a long transcript): the second to keep, if any. */
export function momentsOf(lineStarts: number[]): (seconds: number | null) => {
  seconds: number | null;
  outcome: CitationOutcome;
} {
  const starts = [...new Set(lineStarts)].sort((a, b) => a - b);
  const exact = new Set(starts);
  return (seconds) => {
    if (seconds === null) return { seconds: null, outcome: 'none' };
    if (exact.has(seconds)) return { seconds, outcome: 'exact' };
    const containing = starts.filter((s) => s <= seconds).pop();
    if (containing === undefined || seconds - containing > LINE_SPAN_SECONDS)
      return { seconds: null, outcome: 'dropped' };
    return { seconds: containing, outcome: 'moved' };
  };
}
