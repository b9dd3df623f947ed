import { cueStarts, StudyLecture, studyLibrary, studyLibraryProblems, transcriptWords } from './study-library';

const library = studyLibrary();
const base = library.filter((l) => !l.extra);
const extras = library.filter((l) => l.extra);
const topics = [...new Set(base.map((l) => l.topic))];
const text = (l: StudyLecture) => transcriptWords(l.transcript).join(' ').toLowerCase();

describe('the study library', () => {
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
    const shared: Record<string, string[]> = { Biology: ['atp', 'glucose', 'energy', 'membrane', 'enzyme'] };
    for (const [subject, words] of Object.entries(shared)) {
      const subjectTopics = [...new Set(base.filter((l) => l.subject === subject).map((l) => l.topic))];
      for (const topic of subjectTopics) {
        const all = base
          .filter((l) => l.topic === topic)
          .map(text)
          .join(' ');
        for (const word of words)
          expect({ topic, word, found: all.includes(word) }).toEqual({ topic, word, found: true });
      }
    }
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
    expect(studyLibraryProblems(library)).toEqual([]);
  });
});
