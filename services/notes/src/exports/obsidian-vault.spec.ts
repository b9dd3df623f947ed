import { unzip } from '@study-buddy/testing';
import { exportNote } from '../../test/export-notes';
import { buildObsidianVault, resolveLinks } from './obsidian-vault';

const LINK = /\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]/g;

/** Every link target in every Markdown file, checked against the vault's file names (as Obsidian resolves them). */
function unresolvedLinks(files: Map<string, Buffer>): string[] {
  const names = new Set([...files.keys()].map((p) => p.split('/').at(-1)!.replace(/\.md$/, '')));
  const missing: string[] = [];
  for (const [path, body] of files)
    for (const [, target] of body.toString('utf8').matchAll(LINK))
      if (!names.has(target)) missing.push(`${path}: ${target}`);
  return missing;
}

describe('Obsidian vault', () => {
  const photosynthesis = exportNote({
    title: 'Photosynthesis',
    subject: 'Biology',
    related: ['Cellular respiration: ATP', 'Deleted note'],
  });
  const respiration = exportNote({
    title: 'Cellular respiration: ATP',
    subject: 'Biology',
    related: ['Photosynthesis'],
  });
  const derivatives = exportNote({
    title: 'Derivatives',
    subject: 'Maths',
    related: ['Photosynthesis'],
    extraBody: 'See [[Photosynthesis#Summary|the summary]] and [[derivatives]].',
  });
  // same title in another subject: file names are unique across the vault, so links stay unambiguous
  const twin = exportNote({ title: 'Photosynthesis', subject: 'Chemistry', related: [] });
  const indexTitled = exportNote({ title: 'Biology index', subject: 'Biology' });

  it('has a folder per subject, a file per note and an index per subject', async () => {
    const files = await unzip(buildObsidianVault([photosynthesis, respiration, derivatives, twin, indexTitled]));
    expect([...files.keys()].sort()).toEqual([
      'Biology/Biology index (2).md',
      'Biology/Biology index.md',
      'Biology/Cellular respiration ATP.md',
      'Biology/Photosynthesis.md',
      'Chemistry/Chemistry index.md',
      'Chemistry/Photosynthesis (2).md',
      'Maths/Derivatives.md',
      'Maths/Maths index.md',
    ]);
    const index = files.get('Biology/Biology index.md')!.toString();
    expect(index).toContain('[[Photosynthesis]]');
    expect(index).toContain('[[Cellular respiration ATP|Cellular respiration: ATP]]');
    expect(index).toContain('[[Biology index (2)|Biology index]]');
    expect(files.get('Chemistry/Chemistry index.md')!.toString()).toContain('[[Photosynthesis (2)|Photosynthesis]]');
  });

  it('resolves every link to a file in the vault', async () => {
    const files = await unzip(buildObsidianVault([photosynthesis, respiration, derivatives, twin, indexTitled]));
    expect(unresolvedLinks(files)).toEqual([]);
    const bio = files.get('Biology/Photosynthesis.md')!.toString();
    expect(bio).toContain('[[Cellular respiration ATP|Cellular respiration: ATP]]');
    // a link to a note that is not in the export is plain text
    expect(bio).toContain('- Deleted note');
    expect(files.get('Biology/Cellular respiration ATP.md')!.toString()).toContain(
      '\naliases: ["Cellular respiration: ATP"]\n',
    );
    expect(bio).not.toContain('aliases:');
    const maths = files.get('Maths/Derivatives.md')!.toString();
    expect(maths).toContain('[[Photosynthesis#Summary|the summary]]');
    expect(maths).toContain('[[Derivatives|derivatives]]');
  });

  it('writes front matter from the note metadata', async () => {
    const files = await unzip(buildObsidianVault([photosynthesis]));
    const text = files.get('Biology/Photosynthesis.md')!.toString();
    expect(text).toMatch(
      /^---\ntitle: "Photosynthesis"\nsubject: "Biology"\ntags: \["biology"\]\nconcepts: \["Chlorophyll"\]\nsource: "https:\/\/www\.youtube\.com/,
    );
    expect(text.match(/^---$/gm)).toHaveLength(2);
  });

  it('keeps file names safe whatever the title', async () => {
    const evil = exportNote({ title: '../../etc/passwd', subject: '..', related: [] });
    const files = await unzip(buildObsidianVault([evil]));
    for (const path of files.keys()) {
      expect(path.split('/')).toHaveLength(2);
      expect(path.split('/').every((part) => part && !part.startsWith('.'))).toBe(true);
    }
    expect(unresolvedLinks(files)).toEqual([]);
  });

  it("resolves a link by the note's unique link title where titles repeat", async () => {
    const first = {
      ...exportNote({ title: 'Photosynthesis', subject: 'Biology' }, '2026-11-01T00:00:00.000Z'),
      linkTitle: 'Photosynthesis',
    };
    const second = {
      ...exportNote({ title: 'Photosynthesis', subject: 'Biology' }, '2026-11-02T00:00:00.000Z'),
      linkTitle: 'Photosynthesis (2)',
    };
    const linking = exportNote({
      title: 'Leaves',
      subject: 'Biology',
      related: ['Photosynthesis (2)', 'Photosynthesis'],
    });
    const files = await unzip(buildObsidianVault([first, second, linking]));
    expect(unresolvedLinks(files)).toEqual([]);
    const text = files.get('Biology/Leaves.md')!.toString();
    expect(text).toContain('- [[Photosynthesis (2)]]\n- [[Photosynthesis]]');
    expect(files.get('Biology/Photosynthesis (2).md')!.toString()).toContain(`note_id: "${second.noteId}"`);
  });

  it('rewrites, keeps or unlinks each link form', () => {
    const files: Record<string, string> = { A: 'A', 'B: c': 'B c' };
    const fileOf = (t: string) => files[t];
    expect(resolveLinks('[[A]] [[B: c]] [[B: c|see]] [[A#h]] [[Gone]] [[Gone|alias]]', fileOf)).toBe(
      '[[A]] [[B c|B: c]] [[B c|see]] [[A#h]] Gone alias',
    );
  });
});
