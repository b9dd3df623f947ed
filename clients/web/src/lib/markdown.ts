import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { watchUrlAt } from './youtube';

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

let hooked = false;
function hookLinks() {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    const watch = watchUrlAt(href);
    if (watch) {
      node.setAttribute('href', watch);
      node.setAttribute('data-timestamp', 'true');
      node.setAttribute('aria-label', `${node.textContent ?? ''} — open the video at this moment (new tab)`);
    }
    if (/^https?:\/\//i.test(node.getAttribute('href') ?? '')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

/** A note's Markdown as safe HTML: rendered by marked, sanitised by DOMPurify (no script, no handler, no style). */
export function renderMarkdown(markdown: string, known: ReadonlyMap<string, string> = new Map()): string {
  hookLinks();
  const html = marked.parse(resolveWikiLinks(stripFrontMatter(markdown), known), { async: false, gfm: true });
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'img'],
    FORBID_ATTR: ['style'],
    ADD_ATTR: ['target'],
  });
}
