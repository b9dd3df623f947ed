import type { Related } from '../api';
import { Link } from './Link';
import { SubjectBadge } from './SubjectBadge';

/** The notes most related to this one, and why: the concepts they share. */
export function RelatedNotes({ items }: { items: Related[] }) {
  return (
    <section aria-labelledby="related-title" className="card" data-testid="related-notes">
      <h2 id="related-title">Related notes</h2>
      {items.length === 0 ? (
        <p className="muted">No related notes yet: they appear as your library grows.</p>
      ) : (
        <ul className="related">
          {items.map((r) => (
            <li key={r.note_id}>
              <Link href={`/read/${r.note_id}`}>{r.title}</Link> <SubjectBadge subject={r.subject} />
              <p className="muted">
                {r.shared_concepts.length > 0 ? `Shares ${r.shared_concepts.join(', ')}` : 'Covers similar ground'}{' '}
                (relatedness {Math.round(r.score * 100)}%)
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
