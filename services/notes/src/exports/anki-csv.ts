import { Flashcard } from './flashcards';

/** A spreadsheet would run `=…`, `+…`, `-…`, `@…` as a formula: such a cell starts with `'` instead. */
const FORMULA = /^[=+\-@\t\r]/;

/** RFC 4180: every field quoted, quotes doubled, CRLF between records; line breaks inside a field stay. */
export function csvField(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Flashcards for tools other than Anki: front, back, tags (space-separated, Anki-style), deck, kind. */
export function buildFlashcardCsv(cards: Flashcard[]): Buffer {
  const rows = [['front', 'back', 'tags', 'deck', 'kind']];
  for (const c of cards) rows.push([c.front, c.back, cardTags(c).join(' '), deckName(c.subject), c.kind]);
  // BOM: spreadsheet programs otherwise read UTF-8 as a legacy code page
  return Buffer.from(`\ufeff${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`, 'utf8');
}

/** An Anki tag has no spaces; `::` makes a hierarchy in Anki's browser. */
export const ankiTag = (text: string) => text.trim().replace(/\s+/g, '_').replace(/"/g, '') || 'untagged';

export function cardTags(card: Flashcard): string[] {
  return [...new Set([`subject::${ankiTag(card.subject)}`, ...card.tags.map(ankiTag), `study-buddy::${card.kind}`])];
}

/** One deck per subject under a parent deck, so a user's own decks stay apart. */
export const deckName = (subject: string) => `Study Buddy::${subject.replace(/::/g, ':').trim() || 'General'}`;
