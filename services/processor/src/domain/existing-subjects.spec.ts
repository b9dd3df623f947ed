import { existingSubjectsOf, fileUnderExisting, MAX_EXISTING_SUBJECTS } from './existing-subjects';

describe('existing subjects', () => {
  it('given the notes service’s counts, when listed, then most-used first, trimmed, one spelling each', () => {
    expect(
      existingSubjectsOf([
        { subject: 'History', noteCount: 1 },
        { subject: '  Biology ', noteCount: 7 },
        { subject: 'biology', noteCount: 2 },
        { subject: '   ', noteCount: 9 },
        { subject: 'Computer   Science', noteCount: 3 },
      ]),
    ).toEqual(['Biology', 'Computer Science', 'History']);
  });

  it('given more subjects than a prompt should carry, when listed, then only the most-used ones', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ subject: `Subject ${i}`, noteCount: i }));
    const listed = existingSubjectsOf(many);
    expect(listed).toHaveLength(MAX_EXISTING_SUBJECTS);
    expect(listed[0]).toBe('Subject 79');
  });

  it('given a chosen subject, when it matches one case/space-insensitively, then the user’s spelling', () => {
    expect(fileUnderExisting(' computer  SCIENCE ', ['Biology', 'Computer Science'])).toBe('Computer Science');
    expect(fileUnderExisting('Astronomy ', ['Biology'])).toBe('Astronomy');
    expect(fileUnderExisting('Biology')).toBe('Biology');
  });
});
