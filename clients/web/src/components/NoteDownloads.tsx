import { useDownload } from '../hooks/use-download';
import { ErrorText } from './ErrorText';

export function NoteDownloads({ noteId }: { noteId: string }) {
  const { busy, error, download: get } = useDownload();
  const download = (format: 'md' | 'pdf') => get(`/notes/${noteId}/download?format=${format}`);
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
