import { ExportNote, noteBody } from './export-note';

export type FlashcardKind = 'question' | 'concept' | 'definition';

export interface Flashcard {
  /** Stable across exports of the same note, so a re-import updates a card instead of adding a copy. */
  key: string;
  kind: FlashcardKind;
  front: string;
  back: string;
  subject: string;
  noteTitle: string;
  tags: string[];
}

interface Section {
  heading: string;
  lines: string[];
}

/** Splits Markdown at headings of one level (`## ` or `### `), outside code fences. */
function sections(lines: string[], level: number): Section[] {
  const marker = `${'#'.repeat(level)} `;
  const out: Section[] = [];
  let fenced = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && line.startsWith(marker)) out.push({ heading: line.slice(marker.length).trim(), lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

const text = (lines: string[]) =>
  lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** `[[Target|Alias]]` reads as "Alias", `[[Target]]` as "Target": a card has no vault to link into. */
export const unlinkWikiLinks = (markdown: string) =>
  markdown.replace(/\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]/g, (_m, target: string, alias?: string) =>
    (alias ?? target).trim(),
  );

/** Question, then `<details><summary>…</summary>` with the model answer (as the processor writes it). */
function question(lines: string[]): { question: string; answer: string } | null {
  const start = lines.findIndex((l) => /<details>/i.test(l));
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && /<\/details>/i.test(l));
  const answerLines = lines.slice(start, end < 0 ? undefined : end + 1).join('\n');
  const answer = answerLines
    .replace(/<details>\s*/i, '')
    .replace(/<summary>[\s\S]*?<\/summary>/i, '')
    .replace(/<\/details>/i, '')
    .trim();
  const q = text(lines.slice(0, start));
  return q && answer ? { question: q, answer } : null;
}

const DEFINITION = /^\s*[-*]\s+\*\*(.+?)\*\*\s*:\s*(.+)$/;

/**
 * The cards a note gives: each assessment question with its model answer, each core concept with
 * its explanation, each definition. Read from the Markdown, so a user's edits to the body count.
 */
export function noteFlashcards(note: ExportNote): Flashcard[] {
  const body = unlinkWikiLinks(noteBody(note.markdown));
  const cards: Flashcard[] = [];
  const base = { subject: note.subject, noteTitle: note.title, tags: note.tags };
  for (const section of sections(body.split(/\r?\n/), 2)) {
    const name = section.heading.toLowerCase();
    if (name === 'assessment') {
      sections(section.lines, 3).forEach((sub, i) => {
        const qa = question(sub.lines);
        if (qa)
          cards.push({ ...base, key: `${note.noteId}:q:${i}`, kind: 'question', front: qa.question, back: qa.answer });
      });
    } else if (name === 'core concepts') {
      for (const sub of sections(section.lines, 3)) {
        const explanation = text(sub.lines);
        if (sub.heading && explanation)
          cards.push({
            ...base,
            key: `${note.noteId}:c:${sub.heading.toLowerCase()}`,
            kind: 'concept',
            front: sub.heading,
            back: explanation,
          });
      }
    } else if (name === 'definitions') {
      for (const line of section.lines) {
        const m = DEFINITION.exec(line);
        if (m)
          cards.push({
            ...base,
            key: `${note.noteId}:d:${m[1].trim().toLowerCase()}`,
            kind: 'definition',
            front: m[1].trim(),
            back: m[2].trim(),
          });
      }
    }
  }
  return cards;
}
