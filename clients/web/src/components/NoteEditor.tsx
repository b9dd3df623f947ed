import { FormEvent, useState } from 'react';
import { messageOf, Note } from '../api';
import { isConflict } from '../api/notes';
import { useApi } from '../hooks/api-context';
import { ErrorText } from './ErrorText';

/**
 * Edits title, subject, tags and the note's own text on the version read (If-Match). When the note
 * moved on meanwhile (412), nothing is overwritten: the reader is asked to reload it.
 */
export function NoteEditor({
  note,
  etag,
  onSaved,
  onCancel,
  onReload,
}: {
  note: Note;
  etag: string;
  onSaved: (note: Note, etag: string) => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const api = useApi();
  const [title, setTitle] = useState(note.title);
  const [subject, setSubject] = useState(note.subject);
  const [tags, setTags] = useState(note.tags.join(', '));
  const [body, setBody] = useState(note.body ?? '');
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const tagList = tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const saved = await api.notes.edit(note.note_id, etag, { title, subject, tags: tagList, body });
      onSaved(saved.note, saved.etag);
    } catch (e) {
      if (isConflict(e)) setConflict(true);
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card editor" onSubmit={(e) => void save(e)} aria-label="Edit the note">
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
      </label>
      <label>
        Subject
        <input value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={100} />
      </label>
      <label>
        Tags <span className="muted">(comma-separated)</span>
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <label>
        Text (Markdown)
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={18} />
      </label>
      {conflict && (
        <div role="alertdialog" aria-labelledby="conflict-title" className="warning" data-testid="edit-conflict">
          <p id="conflict-title">
            This note was changed somewhere else since you opened it. Reload it to see the latest version (your changes
            here are not saved).
          </p>
          <button type="button" onClick={onReload}>
            Reload the note
          </button>
        </div>
      )}
      <ErrorText message={error} />
      <div className="actions">
        <button type="submit" disabled={busy || conflict}>
          Save
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
