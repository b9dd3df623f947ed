/** What a note's Markdown goes through before marked renders it (no DOM, no imports: unit-tested). */

/** The YAML front matter a note's Markdown starts with (shown as metadata elsewhere, not as text). */
export const stripFrontMatter = (markdown: string) => markdown.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');

/**
 * `[[Title]]` / `[[Title|mention]]` as a link to that note when it is one of `known` (link title →
 * note id), else as its text. The result is Markdown; escaping happens in marked and DOMPurify.
 */
export function resolveWikiLinks(markdown: string, known: ReadonlyMap<string, string>): string {
  return markdown.replace(/\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|([^\]]+))?\]\]/g, (_m, target: string, alias?: string) => {
    const text = (alias ?? target).trim().replace(/[[\]]/g, '');
    const id = known.get(target.trim());
    return id ? `[${text}](/read/${id})` : text;
  });
}

/** The raw HTML a note may use: the assessment's folded answers and a few inline tags, bare (no attributes). */
const SAFE_TAG = /^<\/?(details|summary|mark|br|sub|sup|kbd)\s*\/?>$/i;
const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Raw HTML in the Markdown as text, but for the bare tags of SAFE_TAG: hostile markup never reaches a parser. */
export function escapeRawHtml(html: string): string {
  // comments (the notes service marks its generated section with one) are dropped, not shown
  return html
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<[^>]*>?/g, (tag) => (SAFE_TAG.test(tag) ? tag : escapeHtml(tag)));
}
