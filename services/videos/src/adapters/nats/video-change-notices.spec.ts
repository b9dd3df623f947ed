import { randomUUID } from 'node:crypto';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { videoChangedSubject, videoChangeNotice } from '@study-buddy/contracts';
import { Projector, RecordedEvent } from '@study-buddy/event-store';
import { testNatsUrl, uniqueNamespace, waitFor } from '@study-buddy/testing';
import { announceVideoChanges } from './video-change-notices';

describe('video change notices', () => {
  const namespace = uniqueNamespace().subjects;
  let nc: NatsConnection;
  beforeAll(async () => (nc = await connect({ servers: testNatsUrl() })));
  afterAll(() => nc.close());

  it('announces each video a committed batch touched once, with the position of its last event', async () => {
    // the projector's side is covered by its own spec: here only what a committed batch turns into
    let applied: (events: readonly RecordedEvent[]) => void = () => undefined;
    const projector = { onApplied: (l: typeof applied) => ((applied = l), () => undefined) } as unknown as Projector;
    announceVideoChanges(projector, nc, namespace);
    const received: unknown[] = [];
    const subjects: string[] = [];
    nc.subscribe(videoChangedSubject(namespace, '*'), {
      callback: (_e, msg) => {
        subjects.push(msg.subject);
        received.push(videoChangeNotice.parse(JSONCodec().decode(msg.data)));
      },
    });
    await nc.flush();
    const [one, two] = [randomUUID(), randomUUID()];
    const event = (videoId: string, position: bigint) =>
      ({ type: 'VideoProgressed', data: { videoId }, position }) as unknown as RecordedEvent;
    applied([event(one, 5n), event(two, 6n), event(one, 9n)]);
    await waitFor(() => received.length === 2, { what: 'two notices' });
    expect(received).toEqual([
      { video_id: one, version: '9' },
      { video_id: two, version: '6' },
    ]);
    expect(subjects).toEqual([videoChangedSubject(namespace, one), videoChangedSubject(namespace, two)]);
  });
});
