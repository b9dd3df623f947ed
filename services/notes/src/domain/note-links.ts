import { frontMatterFor, GENERATED_MARKER, joinNote } from './note-markdown';
import { normaliseTerm } from './relatedness';

/**
 * `[[wiki-links]]` at render time (Obsidian syntax): the generated Related notes section, and the first
 * mention of another note's main concept in the body linked to that note. Nothing here is stored: the
 * body stays the owner's text, and links follow the library as it changes. Pure.
 */

/** `[[...]]` cannot hold these (Obsidian reads them as alias, heading, block or path), nor can file names. */
const LINK_UNSAFE = /[[\]|#^\\/:*?"<>]/g;

/**
 * Link titles, unique per user: the oldest note keeps its title, later namesakes get " (2)", " (3)"…
 * (case-insensitively, as file systems compare). The same for every render, export and link.
 */
export function uniqueTitles(notes: Array<{ noteId: string; title: string; createdAt: string }>): Map<string, string> {
  const ordered = [...notes].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.noteId.localeCompare(b.noteId));
  const taken = new Set<string>();
  const titles = new Map<string, string>();
  for (const note of ordered) {
    const base = note.title.replace(LINK_UNSAFE, ' ').replace(/\s+/g, ' ').trim() || 'Untitled';
    let title = base;
    for (let n = 2; taken.has(title.toLowerCase()); n++) title = `${base} (${n})`;
    taken.add(title.toLowerCase());
    titles.set(note.noteId, title);
  }
  return titles;
}

export interface LinkTarget {
  /** The other note's main concept, as written. */
  concept: string;
  /** Its unique link title. */
  title: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Spans of a line that must not get a link: existing links, inline code, URLs, HTML tags. */
function maskedSpans(line: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of line.matchAll(/\[\[[^\]]*\]\]|!?\[[^\]]*\]\([^)]*\)|`[^`]*`|https?:\/\/\S+|<[^>]+>/g))
    spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/** Links the first mention of each target's concept (longer concepts first, so "Calvin cycle" beats "cycle"). */
export function linkConcepts(body: string, targets: LinkTarget[]): string {
  const lines = body.split('\n');
  const ordered = [...targets].sort((a, b) => b.concept.length - a.concept.length);
  for (const target of ordered) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escape(target.concept.trim())}(?![\\p{L}\\p{N}])`, 'giu');
    let fenced = false;
    let done = false;
    for (let i = 0; i < lines.length && !done; i++) {
      const line = lines[i];
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced || /^\s*#/.test(line)) continue;
      const spans = maskedSpans(line);
      for (const m of line.matchAll(pattern)) {
        const end = m.index + m[0].length;
        if (spans.some(([s, e]) => m.index < e && end > s)) continue;
        const link = m[0] === target.title ? `[[${m[0]}]]` : `[[${target.title}|${m[0]}]]`;
        lines[i] = line.slice(0, m.index) + link + line.slice(end);
        done = true;
        break;
      }
    }
  }
  return lines.join('\n');
}

/**
 * For the note being rendered: which other notes' main concepts to link. A concept that is this note's own
 * main one is its topic, not a reference; when several notes share a main concept, the most related wins.
 */
export function linkTargets(
  self: { noteId: string; concepts: string[] },
  library: Array<{ noteId: string; concepts: string[] }>,
  titles: Map<string, string>,
  relatedScore: (noteId: string) => number,
): LinkTarget[] {
  const own = self.concepts[0] ? normaliseTerm(self.concepts[0]) : '';
  const best = new Map<string, { concept: string; noteId: string; score: number }>();
  for (const note of library) {
    const concept = note.concepts[0];
    if (note.noteId === self.noteId || !concept || concept.trim().length < 3) continue;
    const key = normaliseTerm(concept);
    if (!key || key === own) continue;
    const score = relatedScore(note.noteId);
    const current = best.get(key);
    if (!current || score > current.score) best.set(key, { concept, noteId: note.noteId, score });
  }
  return [...best.values()].map((b) => ({ concept: b.concept, title: titles.get(b.noteId) as string }));
}

export function relatedSection(titles: string[]): string {
  const list = titles.length > 0 ? titles.map((t) => `- [[${t}]]`) : ['_No related notes yet._'];
  return [GENERATED_MARKER, '## Related notes', '', ...list, ''].join('\n');
}

/** The Markdown a reader gets: current front matter, the body with inline links, then the generated section. */
export function renderNote(input: {
  frontMatter: string[];
  meta: { title: string; subject: string; tags: string[] };
  body: string;
  targets: LinkTarget[];
  related: string[];
}): string {
  const body = linkConcepts(input.body, input.targets).replace(/\s+$/, '');
  return joinNote(frontMatterFor(input.frontMatter, input.meta), `${body}\n\n${relatedSection(input.related)}`);
}
