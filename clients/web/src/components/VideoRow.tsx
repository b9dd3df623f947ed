import { useState } from 'react';
import { messageOf, ProgressUpdate, Video } from '../api';
import { useApi } from '../hooks/api-context';
import { STATUS_LABELS, STEP_LABELS } from '../lib/format';
import { isNewer } from '../lib/video-state';
import { ErrorText } from './ErrorText';
import { Link } from './Link';
import { ProgressBar } from './ProgressBar';

/** One video: where it is (live from the event stream when it moves), what went wrong, what can be done. */
export function VideoRow({ video, live, onChanged }: { video: Video; live?: ProgressUpdate; onChanged: () => void }) {
  const api = useApi();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // whichever is newer of the stream's last update and the list's row (a cancel, say, is in the list first)
  const fresh = live && isNewer(live, video) ? live : undefined;
  const status = fresh?.status ?? video.status;
  const step = fresh ? fresh.step : video.step;
  const progress = fresh?.progress ?? video.progress;
  const failure = fresh ? fresh.error : video.error;
  const noteId = fresh?.note_id ?? video.note_id;
  const title = video.title ?? video.youtube_video_id;
  const inFlight = status === 'queued' || status === 'processing' || status === 'submitted';

  const act = async (what: () => Promise<unknown>, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(true);
    setError(undefined);
    try {
      await what();
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="video" data-testid="video-row" data-status={status} aria-label={title}>
      <div className="video-head">
        <h3>{title}</h3>
        <span className={`status status-${status}`}>{STATUS_LABELS[status] ?? status}</span>
      </div>
      {inFlight && (
        <>
          <p className="step" data-testid="video-step">
            {step ? (STEP_LABELS[step] ?? step) : 'Waiting to start'}
          </p>
          <ProgressBar value={progress} label={`${title}: ${Math.round(progress)}%`} />
        </>
      )}
      {status === 'failed' && failure && (
        <p className="error" data-testid="video-error">
          {failure.message}
          {failure.retryable ? ' You can try again.' : ''}
        </p>
      )}
      {video.subject && <p className="muted">Subject: {video.subject}</p>}
      {video.usage && (
        <p className="muted" data-testid="video-usage">
          Model use: {video.usage.calls} calls, {video.usage.input_tokens + video.usage.output_tokens} tokens
          {video.usage.estimated_cost_usd !== null ? `, about $${video.usage.estimated_cost_usd.toFixed(4)}` : ''}
        </p>
      )}
      <div className="actions">
        {status === 'completed' && noteId && <Link href={`/read/${noteId}`}>Read the note</Link>}
        {inFlight && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void act(() => api.videos.cancel(video.video_id))}
          >
            Cancel
          </button>
        )}
        {((status === 'failed' && failure?.retryable) || status === 'cancelled') && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void act(() => api.videos.retry(video.video_id, fresh?.attempt ?? video.attempt))}
          >
            Retry
          </button>
        )}
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() =>
            void act(() => api.videos.remove(video.video_id), `Delete “${title}” and its note? This cannot be undone.`)
          }
        >
          Delete
        </button>
      </div>
      <ErrorText message={error} />
    </li>
  );
}
