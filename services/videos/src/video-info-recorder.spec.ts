import { randomUUID } from 'node:crypto';
import { createMemoryCheckpointStore, LeaderLock } from '@study-buddy/event-store';
import { serviceSpec } from '@study-buddy/service-testing';
import { waitFor } from '@study-buddy/testing';
import { videoStream } from './domain/video.decider';
import { submitted } from './testing/video-fixtures';
import { VIDEO_INFO_CHECKPOINT, videoInfoRecorder } from './video-info-recorder';

/** Every submitted video is handed to recording once, in order, from a checkpoint that survives restarts. */
describe('video info recorder', () => {
  const userId = randomUUID();
  let spec: ReturnType<typeof serviceSpec>;
  let checkpoints: ReturnType<typeof createMemoryCheckpointStore>;
  let recorded: string[];
  let term: number;
  let leading: boolean;
  const leader: LeaderLock = {
    acquire: async () => leading,
    release: async () => undefined,
    get term() {
      return term;
    },
  };

  const recorder = (quiet?: () => Promise<void>) =>
    videoInfoRecorder(
      { store: spec.store, checkpoints, leader, record: async (videoId) => void recorded.push(videoId) },
      { idleTimeoutMs: 50, quiet },
    );
  const submit = (videoId: string) =>
    spec.given([
      {
        stream: videoStream(videoId),
        type: 'VideoSubmitted',
        data: { ...submitted.data, videoId, userId },
      },
    ]);

  beforeEach(() => {
    spec = serviceSpec();
    checkpoints = createMemoryCheckpointStore();
    recorded = [];
    term = 1;
    leading = true;
  });

  it('records each submitted video once, and resumes after a restart where it stopped', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await submit(a);
    await spec.given([
      {
        stream: videoStream(a),
        type: 'VideoCancelled',
        data: { videoId: a, userId, attempt: 1, cancelledAt: new Date().toISOString() },
      },
    ]);
    await submit(b);
    const first = recorder();
    first.start();
    await waitFor(() => recorded.length === 2, { what: 'two recordings' });
    await first.stop();
    expect(recorded).toEqual([a, b]);
    expect(await checkpoints.load(VIDEO_INFO_CHECKPOINT)).toBe(first.position);

    await submit(c);
    const second = recorder();
    second.start();
    await waitFor(() => recorded.length === 3, { what: 'the video submitted while it was stopped' });
    await second.stop();
    expect(recorded).toEqual([a, b, c]);
  });

  it('reads the checkpoint again when it leads anew (another replica may have moved it)', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await submit(a);
    const worker = recorder();
    worker.start();
    await waitFor(() => recorded.length === 1, { what: 'a recording' });
    // another replica leads meanwhile, and records b
    leading = false;
    await submit(b);
    await checkpoints.save(VIDEO_INFO_CHECKPOINT, await spec.store.headPosition());
    term += 1;
    leading = true;
    const c = randomUUID();
    await submit(c);
    await waitFor(() => recorded.includes(c), { what: 'the next video', timeoutMs: 5000 });
    await worker.stop();
    expect(recorded).toEqual([a, c]);
  });

  it('stopped mid-batch, saves only what it recorded, and records the rest after the restart', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await submit(a);
    await submit(b);
    let stopping!: Promise<void>;
    const worker = videoInfoRecorder(
      {
        store: spec.store,
        checkpoints,
        leader,
        record: async (videoId) => {
          recorded.push(videoId);
          if (videoId === a) stopping = worker.stop(); // the stop arrives while a is being recorded
        },
      },
      { idleTimeoutMs: 50 },
    );
    worker.start();
    await waitFor(() => stopping !== undefined, { what: 'the stop' });
    await stopping;
    expect(recorded).toEqual([a]);
    const again = recorder();
    again.start();
    await waitFor(() => recorded.length === 2, { what: 'the rest' });
    await again.stop();
    expect(recorded).toEqual([a, b]);
  });

  it('waits for a quiet moment before each video', async () => {
    let release!: () => void;
    const quiet = () => new Promise<void>((resolve) => (release = resolve));
    const a = randomUUID();
    await submit(a);
    const worker = recorder(quiet);
    worker.start();
    await waitFor(() => release !== undefined, { what: 'the wait' });
    expect(recorded).toEqual([]);
    release();
    await waitFor(() => recorded.length === 1, { what: 'the recording' });
    await worker.stop();
  });
});
