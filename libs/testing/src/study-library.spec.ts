import {
  cueStarts,
  precisionAtK,
  StudyLecture,
  studyLibrary,
  studyLibraryProblems,
  transcriptWords,
} from './study-library';

const library = studyLibrary();
const base = library.filter((l) => !l.extra);
const extras = library.filter((l) => l.extra);
const topics = [...new Set(base.map((l) => l.topic))];
const text = (l: StudyLecture) => transcriptWords(l.transcript).join(' ').toLowerCase();
/** A word (or the start of one: "cell" in "cells", not "heap" in "cheap") in lower-case text. */
const mentions = (lower: string, word: string) => new RegExp(`\\b${word}`).test(lower);

describe('the study library', () => {
  it('has 36 base lectures, three subjects of three topics, and two extras', () => {
    expect(base).toHaveLength(36);
    expect(extras).toHaveLength(2);
    for (const subject of ['Biology', 'Computer Science', 'History'])
      expect(new Set(base.filter((l) => l.subject === subject).map((l) => l.topic)).size).toBe(3);
  });

  it('has four base lectures per topic and extras only on existing topics', () => {
    for (const topic of topics) expect(base.filter((l) => l.topic === topic)).toHaveLength(4);
    for (const e of extras) expect(topics).toContain(e.topic);
  });

  it('has its topics’ lectures related to each other, and an extra related to its whole topic', () => {
    for (const l of library) {
      const mates = base.filter((o) => o.topic === l.topic && o.id !== l.id).map((o) => o.id);
      expect(l.related).toEqual(expect.arrayContaining(mates));
    }
    for (const e of extras) expect(e.related).toHaveLength(4);
  });

  it('has transcripts of 250–450 spoken words with a cue every 15–30 s', () => {
    for (const l of library) {
      const words = transcriptWords(l.transcript).length;
      expect({ id: l.id, ok: words >= 250 && words <= 450 }).toEqual({ id: l.id, ok: true });
      const starts = cueStarts(l.transcript);
      expect(starts[0]).toBe(0);
      for (let i = 1; i < starts.length; i++) {
        const gap = starts[i] - starts[i - 1];
        expect({ id: l.id, i, ok: gap >= 15 && gap <= 30 }).toEqual({ id: l.id, i, ok: true });
      }
    }
  });

  it('shares vocabulary between the topics of a subject, so raw word overlap does not separate them', () => {
    const shared: Record<string, string[]> = {
      Biology: ['atp', 'glucose', 'energy', 'membrane', 'enzyme', 'cell'],
      'Computer Science': ['array', 'memory', 'key', 'sort', 'linear', 'o of '],
      History: ['revolution', 'workers', 'power', 'class'],
    };
    for (const [subject, words] of Object.entries(shared)) {
      const subjectTopics = [...new Set(base.filter((l) => l.subject === subject).map((l) => l.topic))];
      for (const topic of subjectTopics) {
        const all = base
          .filter((l) => l.topic === topic)
          .map(text)
          .join(' ');
        for (const word of words)
          expect({ topic, word, found: mentions(all, word) }).toEqual({ topic, word, found: true });
      }
    }
  });

  it('shares a few words across subjects too', () => {
    for (const word of ['cell', 'network', 'energy']) {
      const subjects = new Set(base.filter((l) => mentions(text(l), word)).map((l) => l.subject));
      expect({ word, subjects: subjects.size >= 2 }).toEqual({ word, subjects: true });
    }
  });

  it('is too hard for plain TF-IDF over the raw transcripts (precision@3 below 0.9)', () => {
    const vectors = tfIdfVectors(base);
    const rank = (id: string) =>
      base
        .filter((o) => o.id !== id)
        .map((o) => ({ id: o.id, score: cosine(vectors.get(id)!, vectors.get(o.id)!) }))
        .sort((a, b) => b.score - a.score)
        .map((o) => o.id);
    const raw = precisionAtK(base, rank);
    expect(raw.returned).toBe(base.length * 3);
    expect(raw.precision).toBeGreaterThan(0.5); // the topics are still recognisably about something
    expect(raw.precision).toBeLessThan(0.9);
  });

  it('scores a ranking by precision@k, judging a thresholded list on what it returns', () => {
    const truthRanking = precisionAtK(base, (id) => base.find((l) => l.id === id)!.related);
    expect(truthRanking).toEqual({ precision: 1, hits: base.length * 3, returned: base.length * 3, wrong: [] });
    const [a] = base;
    const other = base.find((l) => l.subject !== a.subject)!;
    const half = precisionAtK([a], () => [a.id, a.related[0], other.id]);
    expect(half).toEqual({ precision: 0.5, hits: 1, returned: 2, wrong: [{ id: a.id, ids: [other.id] }] });
    expect(precisionAtK([a], () => []).precision).toBe(1);
  });

  it('finds the faults it is meant to catch', () => {
    const [a, b] = base;
    const broken: StudyLecture[] = [
      a,
      { ...b, id: a.id },
      {
        ...b,
        id: 'x',
        title: a.title,
        related: ['missing', 'x'],
        note: { ...b.note, title: a.title, keyPoints: [{ text: 'a moment between cues', seconds: 1 }] },
      },
    ];
    const problems = studyLibraryProblems(broken).join('\n');
    expect(problems).toContain(`${a.id}: duplicate id`);
    expect(problems).toContain(`x: duplicate title`);
    expect(problems).toContain('x: related id missing does not exist');
    expect(problems).toContain('x: related to itself');
    expect(problems).toContain('x: cites 1s, not a cue start');
    const oneWay = studyLibraryProblems([
      { ...a, related: [b.id] },
      { ...b, related: [] },
    ]).join('\n');
    expect(oneWay).toContain(`${a.id}: related to ${b.id} but not back`);
    expect(studyLibraryProblems(library)).toEqual([]);
  });
});

const STOP = new Set(
  'the a an and or of to in on is it that this so we you i for with as at by be are was were there they he she his her its from but not what which when then than have has had do does did if okay right just about more most into out up one two all can get like our your their them these those well also only very'.split(
    ' ',
  ),
);
const tokens = (l: StudyLecture) => (text(l).match(/[a-z0-9]+/g) ?? []).filter((w) => !STOP.has(w));

/** Sublinear-tf TF-IDF vectors of the lectures' raw transcript words, L2-normalised: the baseline a linker must beat. */
function tfIdfVectors(all: StudyLecture[]): Map<string, Map<string, number>> {
  const words = new Map(all.map((l) => [l.id, tokens(l)]));
  const df = new Map<string, number>();
  for (const ws of words.values()) for (const w of new Set(ws)) df.set(w, (df.get(w) ?? 0) + 1);
  const vectors = new Map<string, Map<string, number>>();
  for (const [id, ws] of words) {
    const tf = new Map<string, number>();
    for (const w of ws) tf.set(w, (tf.get(w) ?? 0) + 1);
    const v = [...tf].map(([w, c]) => [w, (1 + Math.log(c)) * Math.log(all.length / df.get(w)!)] as const);
    const norm = Math.sqrt(v.reduce((sum, [, x]) => sum + x * x, 0)) || 1;
    vectors.set(id, new Map(v.map(([w, x]) => [w, x / norm])));
  }
  return vectors;
}

const cosine = (a: Map<string, number>, b: Map<string, number>) =>
  [...a].reduce((s, [w, x]) => s + x * (b.get(w) ?? 0), 0);
