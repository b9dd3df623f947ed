import { linkConcepts, linkTargets, relatedSection, uniqueTitles } from './note-links';
import { GENERATED_MARKER } from './note-markdown';

describe('note links', () => {
  it('makes titles unique per user, oldest first, and safe inside [[...]]', () => {
    const titles = uniqueTitles([
      { noteId: 'b', title: 'Photosynthesis', createdAt: '2026-11-30T11:00:00.000Z' },
      { noteId: 'a', title: 'photosynthesis', createdAt: '2026-11-30T10:00:00.000Z' },
      { noteId: 'c', title: 'Sorting: [merge|quick] #1', createdAt: '2026-11-30T12:00:00.000Z' },
      { noteId: 'd', title: 'Photosynthesis (2)', createdAt: '2026-11-30T13:00:00.000Z' },
    ]);
    expect(Object.fromEntries(titles)).toEqual({
      a: 'photosynthesis',
      b: 'Photosynthesis (2)',
      c: 'Sorting merge quick 1',
      d: 'Photosynthesis (2) (2)',
    });
  });

  it('links the first mention of a concept only, outside headings, code, links and URLs', () => {
    const body = [
      '# The Calvin cycle',
      'See [the Calvin cycle](https://example.com/calvin-cycle) and `Calvin cycle` and [[Calvin cycle]].',
      '```',
      'Calvin cycle',
      '```',
      'Here the calvin cycle turns; the Calvin cycle again.',
      'In the stroma (not Stromatolites), the stroma again.',
    ].join('\n');

    const linked = linkConcepts(body, [
      { concept: 'Calvin cycle', title: 'The Calvin Cycle' },
      { concept: 'Stroma', title: 'Chloroplasts' },
    ]);

    expect(linked.split('\n')[5]).toBe('Here the [[The Calvin Cycle|calvin cycle]] turns; the Calvin cycle again.');
    expect(linked.split('\n')[6]).toBe('In the [[Chloroplasts|stroma]] (not Stromatolites), the stroma again.');
    expect(linked.split('\n').slice(0, 5)).toEqual(body.split('\n').slice(0, 5));
  });

  it('links other notes’ main concepts, not this note’s own topic, the most related one on a tie', () => {
    const titles = new Map([
      ['self', 'Light'],
      ['x', 'Calvin A'],
      ['y', 'Calvin B'],
      ['z', 'Light too'],
    ]);
    const targets = linkTargets(
      { noteId: 'self', concepts: ['Light reactions'] },
      [
        { noteId: 'self', concepts: ['Light reactions'] },
        { noteId: 'x', concepts: ['Calvin cycle'] },
        { noteId: 'y', concepts: ['calvin cycles'] },
        { noteId: 'z', concepts: ['Light reaction'] },
      ],
      titles,
      (id) => (id === 'y' ? 0.5 : 0.1),
    );
    expect(targets).toEqual([{ concept: 'calvin cycles', title: 'Calvin B' }]);
  });

  it('renders the generated section behind its marker, a placeholder when there is nothing related', () => {
    expect(relatedSection(['A', 'B'])).toBe(`${GENERATED_MARKER}\n## Related notes\n\n- [[A]]\n- [[B]]\n`);
    expect(relatedSection([])).toContain('_No related notes yet._');
  });
});
