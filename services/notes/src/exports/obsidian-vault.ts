import { strToU8, zipSync } from 'fflate';
import { ExportNote, frontMatter, noteBody } from './export-note';
import { safeFileName, UniqueNames } from './file-names';

/** `[[Target]]`, `[[Target#Heading]]`, `[[Target|Alias]]`, `[[Target#Heading|Alias]]`. */
const WIKI_LINK = /\[\[([^\]|#\n]*)(#[^\]|\n]*)?(?:\|([^\]\n]*))?\]\]/g;

interface VaultFile {
  path: string;
  /** The name Obsidian resolves a link by: the file name without `.md`, unique in the vault. */
  name: string;
}

/**
 * Rewrites every wiki-link of a note so it resolves in the vault: a link to an exported note
 * points at its file (`[[File|Title]]` where the file name had to differ from the title); a link
 * to anything else (a note not exported, a missing one) becomes its plain text.
 */
export function resolveLinks(markdown: string, fileOf: (title: string) => string | undefined): string {
  return markdown.replace(WIKI_LINK, (_m, rawTarget: string, heading: string | undefined, alias?: string) => {
    const target = rawTarget.trim();
    const file = fileOf(target);
    const label = (alias ?? target).trim();
    if (!file) return label;
    const shown = alias !== undefined ? alias : file === target ? undefined : target;
    return `[[${file}${heading ?? ''}${shown !== undefined ? `|${shown}` : ''}]]`;
  });
}

/** One folder per subject; a note per file; an index note per subject linking its notes (by title). */
export function buildObsidianVault(notes: ExportNote[], now = new Date()): Buffer {
  const names = new UniqueNames();
  const folders = new UniqueNames();
  const bySubject = new Map<string, { folder: string; index: VaultFile; notes: ExportNote[] }>();
  const sorted = [...notes].sort(
    (a, b) => a.subject.localeCompare(b.subject) || a.createdAt.localeCompare(b.createdAt),
  );
  for (const note of sorted) {
    const key = note.subject.trim().toLowerCase();
    let group = bySubject.get(key);
    if (!group) {
      const folder = folders.claim(safeFileName(note.subject, 'General'));
      // index names are claimed first, so a note titled like an index gets the suffix
      const indexName = names.claim(`${folder} index`);
      group = { folder, index: { path: `${folder}/${indexName}.md`, name: indexName }, notes: [] };
      bySubject.set(key, group);
    }
    group.notes.push(note);
  }

  const fileOfNote = new Map<string, VaultFile>();
  const byLinkTitle = new Map<string, VaultFile>();
  const byTitle = new Map<string, VaultFile>();
  const byTitleFolded = new Map<string, VaultFile>();
  for (const group of bySubject.values()) {
    for (const note of group.notes) {
      const name = names.claim(safeFileName(note.title));
      const file = { path: `${group.folder}/${name}.md`, name };
      fileOfNote.set(note.noteId, file);
      if (note.linkTitle) byLinkTitle.set(note.linkTitle.trim().toLowerCase(), file);
      if (!byTitle.has(note.title.trim())) byTitle.set(note.title.trim(), file);
      if (!byTitleFolded.has(note.title.trim().toLowerCase())) byTitleFolded.set(note.title.trim().toLowerCase(), file);
    }
  }
  // a unique link title names one note; a plain title may be shared, and then the first file given it wins
  const fileOf = (title: string) =>
    (byLinkTitle.get(title.toLowerCase()) ?? byTitle.get(title) ?? byTitleFolded.get(title.toLowerCase()))?.name;

  const files: Record<string, Uint8Array> = {};
  for (const group of bySubject.values()) {
    const subject = group.notes[0].subject;
    const lines = group.notes.map((n) => {
      const file = fileOfNote.get(n.noteId)!;
      return `- [[${file.name}${file.name === n.title ? '' : `|${n.title.replace(/[[\]|]/g, ' ')}`}]]`;
    });
    files[group.index.path] = strToU8(
      [
        '---',
        `subject: ${JSON.stringify(subject)}`,
        `exported: ${JSON.stringify(now.toISOString())}`,
        '---',
        '',
        `# ${subject}`,
        '',
        `${group.notes.length} ${group.notes.length === 1 ? 'note' : 'notes'}, oldest first.`,
        '',
        ...lines,
        '',
      ].join('\n'),
    );
    for (const note of group.notes) {
      const body = resolveLinks(noteBody(note.markdown), fileOf);
      const file = fileOfNote.get(note.noteId)!;
      // a link the user types later by the title still finds the file
      const aliases = file.name === note.title ? [] : [note.title];
      files[file.path] = strToU8(`${frontMatter(note, aliases)}\n${body}`);
    }
  }
  return Buffer.from(zipSync(files, { level: 6, mtime: now }));
}
