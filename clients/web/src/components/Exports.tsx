import { useDownload } from '../hooks/use-download';
import { ErrorText } from './ErrorText';

const EXPORTS = [
  ['/exports/obsidian', 'Obsidian vault (.zip)'],
  ['/exports/anki?format=apkg', 'Anki deck (.apkg)'],
  ['/exports/anki?format=csv', 'Flashcards (.csv)'],
] as const;

export function Exports() {
  const { busy, error, download: run } = useDownload();
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
