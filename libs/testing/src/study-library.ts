import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A hand-written study library for the knowledge-base tests: lectures in three
 * subjects, four per narrow topic, whose topics deliberately share vocabulary
 * (ATP and glucose, arrays and O(n log n), revolution and workers) so that
 * related-notes ranking cannot pass on raw word overlap alone.
 * Each lecture has a WebVTT transcript, the note the processor's writer would
 * return for it (its note output schema), and hand-labelled related lectures
 * in `fixtures/library/truth.json`.
 */

export const STUDY_LIBRARY_DIR = join(__dirname, '..', 'fixtures', 'library');

/** A moment a note cites: one of the transcript's cue starts, in whole seconds. */
export interface StudyCited {
  text: string;
  seconds: number | null;
}
export interface StudyTerm {
  term: string;
  definition: string;
}
/** The shape of the processor's note output (services/processor/src/adapters/anthropic/note-schema.ts). */
export interface StudyNote {
  title: string;
  summary: string;
  subject: string;
  language: string;
  tags: string[];
  concepts: StudyTerm[];
  keyPoints: StudyCited[];
  examples: StudyCited[];
  definitions: StudyTerm[];
  connections: string[];
}

export interface StudyLecture {
  /** A slug, also the fixture's file name. */
  id: string;
  subject: string;
  topic: string;
  title: string;
  /** The raw WebVTT file text. */
  transcript: string;
  note: StudyNote;
  /** The ids a student would want linked from this lecture: its topic-mates in the base library, plus any labelled cross-topic id. */
  related: string[];
  /** Why a cross-topic id is in `related`, when one is. */
  crossTopic?: string;
  /** Not part of the base library: a later lecture on an existing topic, for the "new note links back" test. */
  extra: boolean;
}

interface TruthEntry {
  id: string;
  subject: string;
  topic: string;
  title: string;
  related: string[];
  crossTopic?: string;
  extra?: boolean;
}

/** Every lecture, base and extra, read from disk now; throws if the library is inconsistent. */
export function studyLibrary(dir = STUDY_LIBRARY_DIR): StudyLecture[] {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { lectures: TruthEntry[] };
  const lectures = truth.lectures.map(
    (t): StudyLecture => ({
      id: t.id,
      subject: t.subject,
      topic: t.topic,
      title: t.title,
      transcript: readFileSync(join(dir, `${t.id}.vtt`), 'utf8'),
      note: JSON.parse(readFileSync(join(dir, `${t.id}.note.json`), 'utf8')) as StudyNote,
      related: t.related,
      ...(t.crossTopic ? { crossTopic: t.crossTopic } : {}),
      extra: t.extra === true,
    }),
  );
  const problems = studyLibraryProblems(lectures);
  if (problems.length) throw new Error(`study library in ${dir} is inconsistent:\n${problems.join('\n')}`);
  return lectures;
}

/** The base library: what a user has before the extra lectures arrive. */
export const baseStudyLibrary = (dir?: string) => studyLibrary(dir).filter((l) => !l.extra);

/** The extra lectures, each on a topic the base library already has. */
export const extraStudyLectures = (dir?: string) => studyLibrary(dir).filter((l) => l.extra);

/** The whole seconds at which a WebVTT transcript's cues start, as the processor numbers its `[<seconds>s]` markers. */
export function cueStarts(vtt: string): number[] {
  return [...vtt.matchAll(/^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})\s*-->/gm)].map(
    ([, h, m, s]) => Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s),
  );
}

/** The spoken words of a WebVTT transcript (cue text only). */
export function transcriptWords(vtt: string): string[] {
  return vtt
    .split(/\n\s*\n/)
    .filter((block) => /-->/.test(block))
    .flatMap((block) => block.split('\n').filter((line) => !/-->/.test(line)))
    .join(' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** What is wrong with a library: the checks `studyLibrary()` runs, exposed so a test can show they catch faults. */
export function studyLibraryProblems(lectures: StudyLecture[]): string[] {
  const problems: string[] = [];
  const byId = new Map<string, StudyLecture>();
  const titles = new Set<string>();
  for (const l of lectures) {
    if (byId.has(l.id)) problems.push(`${l.id}: duplicate id`);
    byId.set(l.id, l);
    if (titles.has(l.title)) problems.push(`${l.id}: duplicate title "${l.title}"`);
    titles.add(l.title);
  }
  for (const l of lectures) {
    if (!/^WEBVTT\b/.test(l.transcript)) problems.push(`${l.id}: transcript is not WebVTT`);
    if (l.note.title !== l.title) problems.push(`${l.id}: note title "${l.note.title}" differs from "${l.title}"`);
    if (l.note.subject !== l.subject)
      problems.push(`${l.id}: note subject "${l.note.subject}" differs from "${l.subject}"`);
    if (l.note.language !== 'en') problems.push(`${l.id}: note language is ${l.note.language}`);
    if (!l.note.concepts?.length) problems.push(`${l.id}: note has no concepts`);
    if (!l.note.keyPoints?.length) problems.push(`${l.id}: note has no key points`);
    const starts = new Set(cueStarts(l.transcript));
    for (const c of [...(l.note.keyPoints ?? []), ...(l.note.examples ?? [])])
      if (c.seconds !== null && !starts.has(c.seconds)) problems.push(`${l.id}: cites ${c.seconds}s, not a cue start`);
    for (const r of l.related) {
      const other = byId.get(r);
      if (!other) problems.push(`${l.id}: related id ${r} does not exist`);
      else if (r === l.id) problems.push(`${l.id}: related to itself`);
      else if (other.extra) problems.push(`${l.id}: related to the extra lecture ${r}`);
      else if (other.topic !== l.topic && !l.crossTopic) problems.push(`${l.id}: cross-topic ${r} without a reason`);
    }
    if (new Set(l.related).size !== l.related.length) problems.push(`${l.id}: related ids repeat`);
    if (!l.extra)
      for (const r of l.related)
        if (byId.get(r) && !byId.get(r)!.related.includes(l.id)) problems.push(`${l.id}: related to ${r} but not back`);
  }
  return problems;
}

export interface PrecisionAtK {
  /** Correct neighbours over neighbours returned (each capped at k); 1 when nothing was returned. */
  precision: number;
  hits: number;
  returned: number;
  /** Per lecture, the returned ids that are not in its `related`. */
  wrong: { id: string; ids: string[] }[];
}

/**
 * Precision@k of a related-notes ranking against the hand-labelled truth:
 * `rank(id)` gives a lecture's neighbours best first (by lecture id); the first
 * k that are not the lecture itself are scored. A ranking that returns fewer
 * than k (a threshold at work) is judged only on what it returns.
 */
export function precisionAtK(lectures: StudyLecture[], rank: (id: string) => string[], k = 3): PrecisionAtK {
  let hits = 0;
  let returned = 0;
  const wrong: PrecisionAtK['wrong'] = [];
  for (const l of lectures) {
    const top = rank(l.id)
      .filter((id) => id !== l.id)
      .slice(0, k);
    const bad = top.filter((id) => !l.related.includes(id));
    hits += top.length - bad.length;
    returned += top.length;
    if (bad.length) wrong.push({ id: l.id, ids: bad });
  }
  return { precision: returned ? hits / returned : 1, hits, returned, wrong };
}
