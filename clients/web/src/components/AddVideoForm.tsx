import { FormEvent, useId, useState } from 'react';
import { ApiError, messageOf, VideoInfo } from '../api';
import { useApi } from '../hooks/api-context';
import { useResource } from '../hooks/use-resource';
import { NOTE_LANGUAGES } from '../lib/format';
import { ErrorText } from './ErrorText';
import { VideoPreview } from './VideoPreview';

const isPlaylist = (url: string) => /[?&]list=/.test(url) && !/[?&]v=/.test(url);

/**
 * Paste a link → see what it is and what it costs (GET /videos/info, nothing spent) → choose the
 * subject and the note language → submit. A playlist link submits its videos, one credit each.
 */
export function AddVideoForm({ onSubmitted }: { onSubmitted: (preview?: VideoInfo) => void }) {
  const api = useApi();
  const ids = useId();
  const [url, setUrl] = useState('');
  const [info, setInfo] = useState<VideoInfo>();
  const [subject, setSubject] = useState('');
  const [language, setLanguage] = useState('en');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const subjects = useResource(() => api.notes.subjects(), [api]);
  const playlist = isPlaylist(url);

  const preview = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(undefined);
    setInfo(undefined);
    if (playlist) return;
    setBusy(true);
    try {
      const found = await api.videos.info(url.trim());
      setInfo(found);
      const codes = found.caption_languages.map((l) => l.language_code);
      if (codes.length > 0 && !codes.includes(language)) setLanguage(codes[0]);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const choice = { url: url.trim(), language, ...(subject.trim() ? { subject: subject.trim() } : {}) };
      if (playlist) {
        const result = await api.videos.submitPlaylist(choice);
        setDone(`Playlist “${result.title ?? ''}”: ${result.submitted} submitted, ${result.existing} already yours.`);
      } else {
        await api.videos.submit(choice);
        setDone('Submitted: follow its progress below.');
      }
      setUrl('');
      setInfo(undefined);
      // the preview names the video until the platform has recorded its details
      onSubmitted(playlist ? undefined : info);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 402 ? `${e.message} Buy credits on the Credits page.` : messageOf(e),
      );
    } finally {
      setBusy(false);
    }
  };

  const languages = [
    ...(info?.caption_languages ?? []).map((l) => [l.language_code, l.name] as [string, string]),
    ...NOTE_LANGUAGES,
  ].filter(([code], i, all) => all.findIndex(([c]) => c === code) === i);

  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Add a video or playlist</h2>
      <form onSubmit={(e) => void preview(e)} className="row-form">
        <label className="grow">
          YouTube link
          <input
            name="url"
            type="url"
            inputMode="url"
            required
            placeholder="https://www.youtube.com/watch?v=…"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setInfo(undefined);
              setDone(undefined);
            }}
          />
        </label>
        {!playlist && (
          <button type="submit" disabled={busy || !url.trim()}>
            Preview
          </button>
        )}
      </form>
      {info && <VideoPreview info={info} />}
      {playlist && <p className="muted">A playlist: each video you do not have yet costs one credit.</p>}
      {(info || playlist) && (
        <div className="choices">
          <label>
            Subject <span className="muted">(optional; otherwise chosen from the content)</span>
            <input
              name="subject"
              list={`${ids}-subjects`}
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
            />
            <datalist id={`${ids}-subjects`}>
              {(subjects.data?.items ?? []).map((s) => (
                <option key={s.subject} value={s.subject} />
              ))}
            </datalist>
          </label>
          <label>
            Note language
            <select name="language" value={language} onChange={(e) => setLanguage(e.target.value)}>
              {languages.map(([code, name]) => (
                <option key={code} value={code}>
                  {name} ({code})
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void submit()} disabled={busy}>
            {playlist ? 'Submit playlist' : `Submit (${info?.cost === 0 ? 'free' : `${info?.cost ?? 1} credit`})`}
          </button>
        </div>
      )}
      <ErrorText message={error} />
      {done && (
        <p role="status" className="success">
          {done}
        </p>
      )}
    </section>
  );
}
