import { baseStudyLibrary, precisionAtK, StudyLecture } from '@study-buddy/testing';
import { lectureBody, lectureMetadata } from '../testing/library-notes';
import { plainText } from './note-markdown';
import { LibraryNote, relate, RELATED_THRESHOLD } from './relatedness';

const asLibraryNote = (lecture: StudyLecture): LibraryNote => ({
  noteId: lecture.id,
  ...lectureMetadata(lecture),
  bodyText: plainText(lectureBody(lecture)),
});

/** The pure scoring over the hand-labelled study library (the service spec measures the same through PostgreSQL). */
describe('relatedness over the study library', () => {
  const lectures = baseStudyLibrary();
  const relations = relate(lectures.map(asLibraryNote));
  const rankedFor = (id: string) =>
    relations.filter((r) => r.a === id || r.b === id).map((r) => (r.a === id ? r.b : r.a));

  it('ranks the hand-labelled neighbours first: precision@3 ≥ 0.9', () => {
    const result = precisionAtK(lectures, rankedFor, 3);
    console.log(
      `related notes precision@3 over ${lectures.length} lectures (pure scoring): ${result.precision.toFixed(3)} ` +
        `(${result.hits}/${result.returned}); wrong: ${result.wrong.map((w) => `${w.id} → ${w.ids.join(', ')}`).join('; ')}`,
    );
    expect(result.returned).toBe(lectures.length * 3);
    expect(result.precision).toBeGreaterThanOrEqual(0.9);
  });

  it('scores each pair once, symmetric, within (threshold, 1], and explains it by the concepts both name', () => {
    const pairs = new Set(relations.map((r) => `${r.a}|${r.b}`));
    expect(pairs.size).toBe(relations.length);
    for (const r of relations) {
      expect(r.a < r.b).toBe(true);
      expect(r.score).toBeGreaterThanOrEqual(RELATED_THRESHOLD);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    const chemiosmosis = relations.find(
      (r) => r.a === 'photosynthesis-light-reactions' && r.b === 'respiration-electron-transport',
    );
    expect(chemiosmosis?.sharedConcepts).toEqual(expect.arrayContaining(['Chemiosmosis', 'ATP synthase']));
  });

  it('links nothing in a library of unrelated notes', () => {
    const unrelated = relate([
      {
        noteId: '1',
        title: 'Sonnets',
        subject: 'Poetry',
        tags: ['poetry'],
        concepts: ['Volta'],
        summary: 'Fourteen lines.',
        bodyText: 'Iambic pentameter and rhyme.',
      },
      {
        noteId: '2',
        title: 'Mitosis',
        subject: 'Biology',
        tags: ['cells'],
        concepts: ['Spindle'],
        summary: 'Cell division.',
        bodyText: 'Chromosomes separate.',
      },
      {
        noteId: '3',
        title: 'Tax law',
        subject: 'Law',
        tags: ['tax'],
        concepts: ['Deduction'],
        summary: 'Income rules.',
        bodyText: 'Allowances reduce liability.',
      },
    ]);
    expect(unrelated).toEqual([]);
  });
});
