import { useState } from 'react';
import { messageOf } from '../api';
import { useApi } from '../hooks/api-context';
import { saveFile } from '../lib/download';
import { ErrorText } from './ErrorText';

export function NoteDownloads({ noteId }: { noteId: string }) {
  const api = useApi();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const download = async (format: 'md' | 'pdf') => {
    setBusy(true);
    setError(undefined);
    try {
      const { blob, filename } = await api.notes.download(`/notes/${noteId}/download?format=${format}`);
      saveFile(blob, filename);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="actions" role="group" aria-label="Download">
      <button type="button" className="secondary" disabled={busy} onClick={() => void download('md')}>
        Download Markdown
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={() => void download('pdf')}>
        Download PDF
      </button>
      <ErrorText message={error} />
    </div>
  );
}
