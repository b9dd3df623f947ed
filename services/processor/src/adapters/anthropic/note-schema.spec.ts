import { studyLibrary } from '@study-buddy/testing';
import { noteOutputSchema } from './note-schema';

/** The knowledge-base tests' library stands for what Claude writes: each of its notes must be an answer the writer accepts. */
describe('note output schema', () => {
  it.each(studyLibrary().map((lecture) => [lecture.id, lecture.note] as const))(
    'accepts the study library note %s',
    (_id, note) => expect(noteOutputSchema.safeParse(note).error?.issues ?? []).toEqual([]),
  );

  it('refuses a note without its concepts', () => {
    const { concepts: _dropped, ...rest } = studyLibrary()[0].note as unknown as Record<string, unknown>;
    expect(noteOutputSchema.safeParse(rest).success).toBe(false);
  });
});
