import { RecordedEvent } from '../src';
import { createRecentEvents } from '../src/adapters/recent-events';
import { sharedReads } from '../src/adapters/shared-reads';

const at = (position: number): RecordedEvent => ({
  id: `e${position}`,
  type: 'Happened',
  data: {},
  metadata: {},
  streamName: 's',
  revision: BigInt(position),
  position: BigInt(position),
  createdAt: new Date(0),
});
const page = (...positions: number[]) => positions.map(at);
const positions = (events: RecordedEvent[] | undefined) => events?.map((e) => Number(e.position));

describe('recent events', () => {
  it('answers a read only from where what it holds is complete', () => {
    const recent = createRecentEvents();
    expect(recent.read(0n, 10)).toBeUndefined();
    recent.remember(3n, page(4, 6, 9)); // a gap (5, 7, 8) is fine: positions only commit in order
    expect(recent.read(2n, 10)).toBeUndefined(); // (2, 3] was never read
    expect(positions(recent.read(3n, 10)?.events)).toEqual([4, 6, 9]);
    expect(positions(recent.read(5n, 10)?.events)).toEqual([6, 9]);
    expect(recent.read(5n, 10)?.reachesTo).toBe(9n);
    expect(recent.read(9n, 10)).toEqual({ events: [], reachesTo: 9n });
    expect(recent.read(10n, 10)).toBeUndefined(); // past what was read
  });

  it('tells how far a short page reaches', () => {
    const recent = createRecentEvents();
    recent.remember(0n, page(1, 2, 3, 4));
    expect(recent.read(0n, 2)).toEqual({ events: page(1, 2), reachesTo: 2n });
  });

  it('extends what it holds with a page read from within it, and replaces it after a gap', () => {
    const recent = createRecentEvents();
    recent.remember(0n, page(1, 2));
    recent.remember(1n, page(2, 3, 4));
    expect(positions(recent.read(0n, 10)?.events)).toEqual([1, 2, 3, 4]);
    recent.remember(10n, page(11)); // (4, 10] unknown: only the newer range is held
    expect(recent.read(0n, 10)).toBeUndefined();
    expect(positions(recent.read(10n, 10)?.events)).toEqual([11]);
    recent.remember(5n, page(6)); // older and ending before what is held: ignored
    expect(recent.read(5n, 10)).toBeUndefined();
  });

  it('keeps only the newest events', () => {
    const recent = createRecentEvents(3);
    recent.remember(0n, page(1, 2, 3, 4, 5));
    expect(recent.read(1n, 10)).toBeUndefined();
    expect(positions(recent.read(2n, 10)?.events)).toEqual([3, 4, 5]);
  });
});

describe('shared reads', () => {
  it('shares a read in flight until news arrives, then reads again', async () => {
    let news = 0;
    let queries = 0;
    const shared = sharedReads(() => news);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = () =>
      shared('k', async () => {
        const query = ++queries;
        await gate;
        return query;
      });
    const first = read();
    const second = read();
    news += 1; // something committed after the first read was sent
    const third = read();
    release();
    expect(await Promise.all([first, second, third])).toEqual([1, 1, 2]);
    await read();
    expect(queries).toBe(3); // nothing in flight any more
  });
});
