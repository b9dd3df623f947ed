import type { NoteSummary } from '../api';
import { dateTime } from '../lib/format';
import { Link } from './Link';
import { Snippet } from './Snippet';
import { SubjectBadge } from './SubjectBadge';

export function NoteCard({ note, onTag }: { note: NoteSummary; onTag: (tag: string) => void }) {
  const snippet = (note as NoteSummary & { snippet?: string }).snippet;
  return (
    <li className="note-card" data-testid="note-card">
      <h3>
        <Link href={`/read/${note.note_id}`}>{note.title}</Link>
      </h3>
      <p className="meta">
        <SubjectBadge subject={note.subject} /> <span className="muted">{dateTime(note.created_at)}</span>
      </p>
      {snippet ? <Snippet html={snippet} /> : <p className="summary">{note.summary}</p>}
      {note.tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {note.tags.map((tag) => (
            <li key={tag}>
              <button type="button" className="tag" onClick={() => onTag(tag)} aria-label={`Show notes tagged ${tag}`}>
                #{tag}
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
