import { useMemo } from 'react';
import { renderMarkdown } from '../lib/markdown';
import { navigate } from '../hooks/router';

/**
 * A note's Markdown, rendered by marked and sanitised by DOMPurify. Timestamps open the video at
 * that moment in a new tab; `[[links]]` to notes the reader knows open them here; each assessment
 * answer stays folded (<details>) until asked for.
 */
export function NoteContent({ markdown, known }: { markdown: string; known: ReadonlyMap<string, string> }) {
  const html = useMemo(() => renderMarkdown(markdown, known), [markdown, known]);
  const follow = (event: React.MouseEvent<HTMLDivElement>) => {
    const link = (event.target as HTMLElement).closest('a');
    const href = link?.getAttribute('href');
    if (!href || !href.startsWith('/read/') || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    navigate(href);
    window.scrollTo(0, 0);
  };
  return (
    <div className="markdown" data-testid="note-content" onClick={follow} dangerouslySetInnerHTML={{ __html: html }} />
  );
}
