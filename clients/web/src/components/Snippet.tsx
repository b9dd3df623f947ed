import { snippetParts } from '../lib/snippet';

/** A search snippet: the matched words highlighted, everything else plain text (React escapes it). */
export function Snippet({ html }: { html: string }) {
  return (
    <p className="snippet">
      {snippetParts(html).map((part, i) =>
        part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </p>
  );
}
