import { NoteView } from '@study-buddy/contracts';

/**
 * A note as the export builders take it: its metadata and its Markdown (front matter and all).
 * `linkTitle`: the title other notes' `[[links]]` use for it, where titles were made unique per user.
 */
export type ExportNote = Omit<NoteView, 'content'> & { markdown: string; linkTitle?: string };

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n*/;

/** The Markdown without its front matter: each export writes its own from the note's current metadata. */
export function noteBody(markdown: string): string {
  return markdown.replace(FRONT_MATTER, '');
}

/** JSON strings are valid YAML double-quoted scalars: safe for any title or tag. */
const yaml = (value: string) => JSON.stringify(value);
const yamlList = (values: string[]) => `[${values.map(yaml).join(', ')}]`;

/** `aliases`: other names Obsidian resolves to this file (its title, where the file name had to differ). */
export function frontMatter(note: ExportNote, aliases: string[] = []): string {
  return [
    '---',
    `title: ${yaml(note.title)}`,
    `subject: ${yaml(note.subject)}`,
    `tags: ${yamlList(note.tags)}`,
    `concepts: ${yamlList(note.concepts)}`,
    `source: ${yaml(note.videoUrl)}`,
    `created: ${yaml(note.createdAt)}`,
    `language: ${yaml(note.language)}`,
    `note_id: ${yaml(note.noteId)}`,
    ...(aliases.length ? [`aliases: ${yamlList(aliases)}`] : []),
    '---',
    '',
  ].join('\n');
}

/** `GET /notes/{id}/download?format=md`: the note with front matter from its current metadata. */
export function buildNoteMarkdown(note: ExportNote): Buffer {
  return Buffer.from(`${frontMatter(note)}\n${noteBody(note.markdown)}`, 'utf8');
}
