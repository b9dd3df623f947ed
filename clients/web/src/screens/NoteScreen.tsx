import { useEffect, useMemo, useState } from 'react';
import type { Note } from '../api';
import { ErrorText } from '../components/ErrorText';
import { Link } from '../components/Link';
import { NoteContent } from '../components/NoteContent';
import { NoteDownloads } from '../components/NoteDownloads';
import { NoteEditor } from '../components/NoteEditor';
import { RelatedNotes } from '../components/RelatedNotes';
import { SubjectBadge } from '../components/SubjectBadge';
import { useApi } from '../hooks/api-context';
import { useResource } from '../hooks/use-resource';
import { dateTime } from '../lib/format';

/** One note: rendered, with its assessment, related notes, editing and downloads. */
export function NoteScreen({ id }: { id: string }) {
  const api = useApi();
  const read = useResource(() => api.notes.read(id), [api, id]);
  const related = useResource(() => api.notes.related(id), [api, id]);
  const [edited, setEdited] = useState<{ note: Note; etag: string }>();
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    setEdited(undefined);
    setEditing(false);
  }, [id]);

  const current = edited ?? read.data;
  const known = useMemo(
    () =>
      new Map(
        (related.data?.items ?? []).flatMap((r) => [
          [r.link_title, r.note_id] as [string, string],
          [r.title, r.note_id] as [string, string],
        ]),
      ),
    [related.data],
  );
  useEffect(() => {
    if (current) document.title = `${current.note.title} · Study Buddy`;
    return () => {
      document.title = 'Study Buddy';
    };
  }, [current]);

  if (read.error) return <ErrorText message={read.error} />;
  if (!current) return <p role="status">Loading the note…</p>;
  const { note, etag } = current;

  return (
    <article className="stack note" aria-labelledby="note-title">
      <p>
        <Link href="/library">← Library</Link>
      </p>
      <header>
        <h1 id="note-title">{note.title}</h1>
        <p className="meta">
          <SubjectBadge subject={note.subject} /> <span className="muted">{dateTime(note.created_at)}</span>{' '}
          <a href={note.video_url} target="_blank" rel="noopener noreferrer">
            Watch the video (new tab)
          </a>
        </p>
        {note.tags.length > 0 && <p className="muted">Tags: {note.tags.map((t) => `#${t}`).join(' ')}</p>}
      </header>
      <div className="actions">
        {!editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
        <NoteDownloads noteId={note.note_id} />
      </div>
      {editing ? (
        <NoteEditor
          note={note}
          etag={etag}
          onSaved={(n, e) => {
            // the reply may not carry the rendered content: then the note is read again
            setEdited(n.content ? { note: n, etag: e } : undefined);
            setEditing(false);
            read.reload();
          }}
          onCancel={() => setEditing(false)}
          onReload={() => {
            setEdited(undefined);
            setEditing(false);
            read.reload();
          }}
        />
      ) : (
        <NoteContent markdown={note.content ?? note.body ?? ''} known={known} />
      )}
      <RelatedNotes items={related.data?.items ?? []} />
    </article>
  );
}
