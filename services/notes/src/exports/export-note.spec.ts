import { exportNote } from '../../test/export-notes';
import { buildNoteMarkdown, noteBody } from './export-note';
import { safeFileName, UniqueNames } from './file-names';

describe('note Markdown download', () => {
  it('replaces the stored front matter with one from the current metadata', () => {
    const note = {
      ...exportNote({ title: 'Photosynthesis', subject: 'Biology' }),
      title: 'Renamed: "light"',
      tags: ['a b', 'c'],
    };
    const text = buildNoteMarkdown(note).toString('utf8');
    expect(text.split('\n').slice(0, 10)).toEqual([
      '---',
      'title: "Renamed: \\"light\\""',
      'subject: "Biology"',
      'tags: ["a b", "c"]',
      'concepts: ["Chlorophyll"]',
      'source: "https://www.youtube.com/watch?v=dQw4w9WgXcQ"',
      'created: "2026-11-30T10:00:00.000Z"',
      'language: "en"',
      `note_id: "${note.noteId}"`,
      '---',
    ]);
    expect(text.match(/^---$/gm)).toHaveLength(2);
    expect(text).toContain('\n# Photosynthesis\n');
  });

  it('leaves a body without front matter as it is', () => {
    expect(noteBody('# Title\n\n---\n\ntext')).toBe('# Title\n\n---\n\ntext');
  });
});

describe('file names', () => {
  it.each([
    ['Photosynthesis: light / dark?', 'Photosynthesis light dark'],
    ['../../etc/passwd', 'etc passwd'],
    ['...', 'Untitled'],
    ['CON', 'CON_'],
    ['[[Link]] #tag ^block | pipe', 'Link tag block pipe'],
    ['Φωτοσύνθεση', 'Φωτοσύνθεση'],
  ])('%s → %s', (title, name) => expect(safeFileName(title)).toBe(name));

  it('caps the length and numbers repeats, ignoring case', () => {
    expect(Array.from(safeFileName('x'.repeat(300)))).toHaveLength(100);
    const names = new UniqueNames();
    expect([names.claim('A'), names.claim('a'), names.claim('A')]).toEqual(['A', 'a (2)', 'A (3)']);
  });
});
