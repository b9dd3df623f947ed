import { LiveProgressUpdate } from '@study-buddy/contracts';
import { createRecordingLiveProgress } from './recording-live-progress';

describe('createRecordingLiveProgress', () => {
  const videoId = '0b0f0b8e-4b7a-4b9e-8f4c-2a1d7a9c9e11';

  it('records updates in order, per video, with their context', () => {
    const live = createRecordingLiveProgress();
    live.publish({ video_id: videoId, status: 'processing', step: 'starting', progress: 10, message: 'Starting' });
    live.publish(
      { video_id: videoId, status: 'completed', step: 'completed', progress: 100, message: 'Done' },
      { correlationId: 'c-1' },
    );
    expect(live.updatesFor(videoId).map((u) => u.step)).toEqual(['starting', 'completed']);
    expect(live.published[1].context).toEqual({ correlationId: 'c-1' });
    expect(live.updatesFor('another-video')).toEqual([]);
  });

  it('refuses an update the progress contract does not allow', () => {
    const live = createRecordingLiveProgress();
    const update = { video_id: videoId, status: 'failed', step: 'starting', progress: 10 } as LiveProgressUpdate;
    expect(() => live.publish(update)).toThrow('breaks its contract');
    expect(live.published).toEqual([]);
  });
});
