import { FormEvent, useState } from 'react';
import { ErrorText } from '../components/ErrorText';
import { NoteCard } from '../components/NoteCard';
import { useApi } from '../hooks/api-context';
import { navigate, useLocation } from '../hooks/router';
import { useResource } from '../hooks/use-resource';

/** Notes by subject, full-text search with highlighted snippets, and tags; the filters live in the URL. */
export function LibraryScreen() {
  const api = useApi();
  const { query } = useLocation();
  const subject = query.get('subject') ?? '';
  const tag = query.get('tag') ?? '';
  const q = query.get('q') ?? '';
  const [words, setWords] = useState(q);
  const subjects = useResource(() => api.notes.subjects(), [api]);
  const notes = useResource(() => api.notes.list({ subject, tag, q, limit: 50 }), [api, subject, tag, q]);

  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams({ subject, tag, q, ...changes });
    for (const [k, v] of [...next]) if (!v) next.delete(k);
    const search = next.toString();
    navigate(`/library${search ? `?${search}` : ''}`);
  };
  const search = (event: FormEvent) => {
    event.preventDefault();
    go({ q: words.trim() });
  };

  return (
    <div className="stack">
      <h1>Library</h1>
      <form role="search" className="row-form card" onSubmit={search}>
        <label className="grow">
          Search your notes
          <input
            type="search"
            name="q"
            value={words}
            onChange={(e) => setWords(e.target.value)}
            placeholder={'photosynthesis, "light reactions", -enzymes'}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      <div className="library">
        <nav aria-label="Subjects" className="card subjects">
          <h2>Subjects</h2>
          <ul>
            <li>
              <button type="button" className="link" aria-pressed={!subject} onClick={() => go({ subject: '' })}>
                All subjects
              </button>
            </li>
            {(subjects.data?.items ?? []).map((s) => (
              <li key={s.subject}>
                <button
                  type="button"
                  className="link"
                  aria-pressed={subject === s.subject}
                  onClick={() => go({ subject: s.subject })}
                >
                  {s.subject} <span className="muted">({s.note_count})</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <section aria-labelledby="notes-title" className="notes">
          <h2 id="notes-title">
            {q ? `Results for “${q}”` : subject || 'All notes'}
            {tag && ` tagged #${tag}`}
          </h2>
          {(tag || q) && (
            <button type="button" className="secondary" onClick={() => go({ tag: '', q: '' })}>
              Clear search and tag
            </button>
          )}
          <ErrorText message={notes.error} />
          {notes.data && notes.data.items.length === 0 && <p className="muted">No notes here yet.</p>}
          <ul className="note-list" aria-busy={notes.loading}>
            {(notes.data?.items ?? []).map((note) => (
              <NoteCard key={note.note_id} note={note} onTag={(t) => go({ tag: t })} />
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
