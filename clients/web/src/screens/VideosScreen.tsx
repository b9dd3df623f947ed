import { useEffect, useMemo, useState } from 'react';
import type { VideoInfo } from '../api';
import { AddVideoForm } from '../components/AddVideoForm';
import { ErrorText } from '../components/ErrorText';
import { VideoRow } from '../components/VideoRow';
import { isNewer } from '../lib/video-state';
import { useApi } from '../hooks/api-context';
import { useProgress } from '../hooks/use-progress';
import { useResource } from '../hooks/use-resource';

/** Add a video, and every video with its live progress (GET /events) and what can be done with it. */
export function VideosScreen() {
  const api = useApi();
  const { videos: live, state } = useProgress();
  const list = useResource(() => api.videos.list({ limit: 50 }), [api]);
  const items = list.data?.items ?? [];
  const [previewed, setPreviewed] = useState(new Map<string, string>());
  const submitted = (info?: VideoInfo) => {
    const title = info?.title;
    if (info && title) setPreviewed((m) => new Map(m).set(info.youtube_video_id, title));
    list.reload();
  };
  const titled = (v: (typeof items)[number]) =>
    v.title ? v : { ...v, title: previewed.get(v.youtube_video_id) ?? null };

  // a video the list does not know yet, or one whose status moved: read the list again
  const signature = useMemo(() => [...live.values()].map((u) => `${u.video_id}:${u.status}`).join(','), [live]);
  const { reload } = list;
  useEffect(() => {
    if (signature) reload();
  }, [signature]);

  const statusOf = (v: (typeof items)[number]) => {
    const update = live.get(v.video_id);
    return update && isNewer(update, v) ? update.status : v.status;
  };
  const inFlight = items.filter((v) => ['queued', 'processing', 'submitted'].includes(statusOf(v)));
  const others = items.filter((v) => !inFlight.includes(v));

  return (
    <div className="stack">
      <h1>Your videos</h1>
      <AddVideoForm onSubmitted={submitted} />
      <section aria-labelledby="in-flight-title" className="card" data-testid="in-flight">
        <h2 id="in-flight-title">In progress</h2>
        <p className="muted" role="status">
          {state === 'live' ? 'Live updates on.' : state === 'reconnecting' ? 'Reconnecting to live updates…' : ''}
        </p>
        {inFlight.length === 0 ? (
          <p className="muted">Nothing in progress.</p>
        ) : (
          <ul className="videos">
            {inFlight.map((v) => (
              <VideoRow key={v.video_id} video={titled(v)} live={live.get(v.video_id)} onChanged={list.reload} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="done-title" className="card">
        <h2 id="done-title">Finished</h2>
        <ErrorText message={list.error} />
        {others.length === 0 ? (
          <p className="muted">{list.loading ? 'Loading…' : 'No finished videos yet.'}</p>
        ) : (
          <ul className="videos" data-testid="finished">
            {others.map((v) => (
              <VideoRow key={v.video_id} video={titled(v)} live={live.get(v.video_id)} onChanged={list.reload} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
