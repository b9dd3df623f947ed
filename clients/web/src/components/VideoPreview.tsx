import type { VideoInfo } from '../api';
import { duration, plural } from '../lib/format';

/** What a link is and what it costs, before anything is spent. */
export function VideoPreview({ info }: { info: VideoInfo }) {
  const languages = info.caption_languages.map((l) => `${l.name}${l.kind === 'asr' ? ' (automatic)' : ''}`);
  return (
    <article className="preview" aria-label="Video preview" data-testid="video-preview">
      {info.thumbnail_url && <img src={info.thumbnail_url} alt="" width={160} height={90} loading="lazy" />}
      <div>
        <h3>{info.title ?? info.youtube_video_id}</h3>
        <dl className="facts">
          <dt>Channel</dt>
          <dd>{info.channel ?? 'unknown'}</dd>
          <dt>Length</dt>
          <dd>{info.is_live ? 'live stream' : duration(info.duration_seconds)}</dd>
          <dt>Captions</dt>
          <dd>{languages.length > 0 ? languages.join(', ') : 'none'}</dd>
          <dt>Cost</dt>
          <dd data-testid="preview-cost">
            {info.cost === 0 ? 'free (you already have this video)' : plural(info.cost, 'credit')}
          </dd>
        </dl>
        {!info.processable && (
          <p className="warning" role="note">
            Without a transcript this video cannot be processed: {info.reason ?? 'YouTube does not offer its captions'}.
          </p>
        )}
      </div>
    </article>
  );
}
