import { useState } from 'react';
import { messageOf } from '../api';
import { useApi } from '../hooks/api-context';
import { saveFile } from '../lib/download';
import { ErrorText } from './ErrorText';

const EXPORTS = [
  ['/exports/obsidian', 'Obsidian vault (.zip)'],
  ['/exports/anki?format=apkg', 'Anki deck (.apkg)'],
  ['/exports/anki?format=csv', 'Flashcards (.csv)'],
] as const;

export function Exports() {
  const api = useApi();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (path: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const { blob, filename } = await api.notes.download(path);
      saveFile(blob, filename);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="exports-title" className="card">
      <h2 id="exports-title">Export your notes</h2>
      <div className="actions">
        {EXPORTS.map(([path, label]) => (
          <button key={path} type="button" className="secondary" disabled={busy} onClick={() => void run(path)}>
            {label}
          </button>
        ))}
      </div>
      <ErrorText message={error} />
    </section>
  );
}
