import { AppError } from '@study-buddy/contracts';
import { buildAssessment } from '../../domain/assessment';
import { citeMoment } from '../../domain/citation';
import { NoteRequest, NoteWriter, StudyNote } from '../../domain/study-note';
import { chooseSubject } from './subjects';
import { analyse, Sentence, Term } from './text-analysis';

const EXAMPLE_CUE = /\b(for example|for instance|such as|e\.g\.|imagine|let's say|consider|as an example|like when)\b/i;
/** How lecturers announce their topic: "today we'll talk about X", "this video is about X". */
const TOPIC_CUE =
  /\b(talk(ing)? about|learn(ing)? about|introduc(e|tion|ing) (to )?|this (video|lecture|lesson) (is )?(about|on)|topic (is|of)|we('re| are) (going to )?(look|cover|discuss|explain)(ing)?)\b/i;

/** "X is defined as …": the term comes before the cue. */
const DEFINES = /\b(is defined as|are defined as|refers to|refer to|is a term for|means)\b/i;
/** "… a pigment called chlorophyll": the term comes after the cue. */
const NAMES = /\b(called|known as|we call)\b/i;

/**
 * Writes a study note without any API: extractive summarisation over the
 * transcript. Terms are scored by frequency (two-word phrases weigh more),
 * sentences by the terms they carry, and each section is filled with the
 * transcript's own strongest sentences. Readable, faithful to the source,
 * and free; the Claude writer does better with a key.
 */
export class OfflineNoteWriter implements NoteWriter {
  readonly name = 'offline';

  async write(request: NoteRequest): Promise<StudyNote> {
    const { sentences, terms, wordCount } = analyse(request.transcript);
    if (wordCount < 20 || sentences.length < 2) {
      throw new AppError(
        'validation_failed',
        'The transcript is too short to make a study note (at least 20 words are needed)',
      );
    }
    const concepts = pickConcepts(terms, 8);
    const sentenceScore = scoreSentences(sentences, terms);
    const ranked = [...sentences]
      .filter((s) => s.words >= 6 && s.words <= 60)
      .sort((a, b) => sentenceScore(b) - sentenceScore(a));
    const used = new Set<number>();
    const pick = (pool: Sentence[], n: number) => {
      const picked = pool.filter((s) => !used.has(s.index)).slice(0, n);
      picked.forEach((s) => used.add(s.index));
      return picked.sort((a, b) => a.index - b.index);
    };
    const take = (pool: Sentence[], n: number) => pick(pool, n).map((s) => s.text);
    const cite = citations(request, sentences);

    const summaryCount = Math.min(5, Math.max(2, Math.round(sentences.length / 15)));
    const summary = take(ranked, summaryCount).join(' ');
    const keyPoints = pick(ranked, Math.min(8, Math.max(3, Math.round(sentences.length / 10)))).map(cite);

    const definitions = findDefinitions(concepts, sentences);
    const conceptNotes = concepts
      .map((c) => {
        const defined = definitions.find((d) => d.term === c.display);
        const best = ranked.find((s) => mentions(s, c) && !used.has(s.index)) ?? ranked.find((s) => mentions(s, c));
        if (best && !defined) used.add(best.index);
        return { term: c.display, explanation: defined?.definition ?? best?.text ?? '' };
      })
      .filter((c) => c.explanation);

    const examples = sentences
      .filter((s) => EXAMPLE_CUE.test(s.text) && s.words >= 6)
      .slice(0, 4)
      .map(cite);
    const connections = findConnections(concepts, sentences);

    const keyCounts = new Map([...terms.values()].map((t) => [t.key, t.count]));
    const subject = request.subject ?? chooseSubject(request.transcript, keyCounts, request.existingSubjects);
    const topicSentences = new Set(sentences.filter((x) => TOPIC_CUE.test(x.text)).map((x) => x.index));
    const title = request.title ?? titleFrom(concepts, sentences.length, topicSentences);
    for (const c of conceptNotes) c.term = capitalise(c.term);
    for (const d of definitions) d.term = capitalise(d.term);
    const note: StudyNote = {
      title,
      subject,
      tags: [slug(subject), ...concepts.slice(0, 5).map((c) => slug(c.display))].filter(
        (t, i, all) => t && all.indexOf(t) === i,
      ),
      summary,
      concepts: conceptNotes,
      keyPoints,
      examples,
      definitions,
      connections,
      assessment: [],
      language: request.language ?? 'en',
      wordCount,
    };
    if (request.includeAssessment) note.assessment = buildAssessment(note);
    return note;
  }
}

/**
 * The sentence followed by a link to the moment it is said, `[mm:ss](https://youtu.be/<id>?t=<s>)`,
 * when the transcript has timings; the sentence alone otherwise.
 */
function citations(request: NoteRequest, sentences: Sentence[]): (s: Sentence) => string {
  const timeline = request.timeline ?? [];
  if (timeline.length === 0) return (s) => s.text;
  const lower = request.transcript.toLowerCase();
  const starts = new Map<number, number>();
  let cursor = 0;
  for (const s of sentences) {
    // Sentences are spans of the transcript, in order; a cut-up one was capitalised and given a full stop.
    const probe = s.text
      .replace(/[.!?]["”)]?$/, '')
      .slice(0, 40)
      .toLowerCase();
    const at = lower.indexOf(probe, cursor);
    if (at < 0) continue;
    cursor = at + 1;
    const entry = [...timeline].reverse().find((t) => t.at <= at) ?? timeline[0];
    starts.set(s.index, Math.floor(entry.start));
  }
  return (s) => {
    const start = starts.get(s.index);
    return start === undefined ? s.text : citeMoment(s.text, start, request.youtubeVideoId);
  };
}

export { clock } from '../../domain/citation';

const mentions = (s: Sentence, t: Term) => ` ${s.keys.join(' ')} `.includes(` ${t.key} `);

function pickConcepts(terms: Map<string, Term>, n: number): Term[] {
  const candidates = [...terms.values()]
    .filter((t) => t.count >= 2)
    .sort((a, b) => b.score - a.score || b.count - a.count);
  const chosen: Term[] = [];
  const words = (t: Term) => t.key.split(' ');
  for (const t of candidates) {
    const overlaps = chosen.some((c) => {
      const shared = words(t).filter((w) => words(c).includes(w)).length;
      if (shared === 0) return false;
      // A phrase inside a longer chosen phrase, or a longer phrase around a chosen one, adds nothing
      // unless it also stands on its own often enough.
      if (words(c).length > 1 && words(t).length > 1) return true;
      const [inner, outer] = words(t).length < words(c).length ? [t, c] : [c, t];
      return outer.count >= inner.count * 0.5;
    });
    if (!overlaps) chosen.push(t);
    if (chosen.length === n) break;
  }
  return chosen;
}

function findDefinitions(concepts: Term[], sentences: Sentence[]): { term: string; definition: string }[] {
  const out: { term: string; definition: string }[] = [];
  for (const c of concepts) {
    const s = sentences.find((x) => {
      const lower = x.text.toLowerCase();
      const at = lower.indexOf(c.display.toLowerCase());
      if (at < 0) return false;
      const defines = DEFINES.exec(lower);
      if (defines && at < defines.index && defines.index - at < 60) return true;
      const names = NAMES.exec(lower);
      return Boolean(names && at > names.index && at - names.index < 30);
    });
    if (s && !out.some((d) => d.definition === s.text)) out.push({ term: c.display, definition: s.text });
  }
  return out.slice(0, 6);
}

function scoreSentences(sentences: Sentence[], terms: Map<string, Term>) {
  const total = sentences.length;
  const scores = new Map<number, number>();
  for (const s of sentences) {
    const base =
      s.keys.reduce((sum, k) => sum + Math.log1p(terms.get(k)?.count ?? 0), 0) / Math.sqrt(Math.max(s.words, 1));
    // Lecturers state the topic early: a small bonus for the opening tenth.
    scores.set(s.index, base * (s.index < total / 10 ? 1.15 : 1));
  }
  return (s: Sentence) => scores.get(s.index) ?? 0;
}

function findConnections(concepts: Term[], sentences: Sentence[]): string[] {
  const out: string[] = [];
  const usedSentences = new Set<number>();
  const appearances = new Map<string, number>();
  for (let i = 0; i < concepts.length && out.length < 3; i++) {
    for (let j = i + 1; j < concepts.length && out.length < 3; j++) {
      const [a, b] = [concepts[i], concepts[j]];
      if ((appearances.get(a.key) ?? 0) >= 2 || (appearances.get(b.key) ?? 0) >= 2) continue;
      const shared = sentences.find(
        (s) => !usedSentences.has(s.index) && mentions(s, a) && mentions(s, b) && s.words <= 60,
      );
      if (!shared) continue;
      usedSentences.add(shared.index);
      appearances.set(a.key, (appearances.get(a.key) ?? 0) + 1);
      appearances.set(b.key, (appearances.get(b.key) ?? 0) + 1);
      out.push(`**${capitalise(a.display)}** and **${b.display}**: ${shared.text}`);
    }
  }
  return out;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The strongest concept that the speaker introduces early names the note; the next one qualifies it. */
function titleFrom(concepts: Term[], sentenceCount: number, topicSentences: Set<number>): string {
  const titleCase = (s: string) =>
    s.replace(/(^|\s)(\p{Ll})/gu, (_, space: string, c: string) => space + c.toUpperCase());
  if (concepts.length === 0) return 'Study Notes';
  const opening = Math.max(3, sentenceCount / 10);
  const announced = (t: Term) => [...t.sentences].some((i) => i < opening && topicSentences.has(i));
  const early = (t: Term) => [...t.sentences].some((i) => i < opening);
  const weight = (t: Term) => t.score * (announced(t) ? 2 : early(t) ? 1.3 : 1);
  const main = [...concepts].sort((a, b) => weight(b) - weight(a))[0];
  const second = concepts.find((c) => c !== main);
  return second ? `${titleCase(main.display)}: ${titleCase(second.display)}` : titleCase(main.display);
}

export function slug(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
