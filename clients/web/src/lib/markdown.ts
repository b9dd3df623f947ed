import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { escapeRawHtml, resolveWikiLinks, stripFrontMatter } from './markdown-source';
import { watchUrlAt } from './youtube';

const markdown = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeRawHtml(text) } });

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

/**
 * A note's Markdown as safe HTML: rendered by marked with raw HTML escaped (see escapeRawHtml), then
 * sanitised by DOMPurify (no script, no handler, no style, no javascript: link) all the same.
 */
export function renderMarkdown(source: string, known: ReadonlyMap<string, string> = new Map()): string {
  hookLinks();
  const html = markdown.parse(resolveWikiLinks(stripFrontMatter(source), known), { async: false });
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'img'],
    FORBID_ATTR: ['style'],
    ADD_ATTR: ['target'],
  });
}
