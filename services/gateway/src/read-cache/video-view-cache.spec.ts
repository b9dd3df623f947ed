import { randomUUID } from 'node:crypto';
import { VideoViewCache } from './video-view-cache';

describe('VideoViewCache', () => {
  let now = 0;
  const cache = (maxEntries = 10, maxAgeMs = 1000) => {
    const c = new VideoViewCache<string>({ maxEntries, maxAgeMs, now: () => now });
    c.resume();
    return c;
  };
  const read = (c: VideoViewCache<string>, userId: string, videoId: string, value: string) =>
    c.complete(c.begin(userId, videoId), value);
  const alice = randomUUID();
  const bob = randomUUID();

  beforeEach(() => (now = 0));

  it('answers the user a view was read for, and nobody else', () => {
    const c = cache();
    const video = randomUUID();
    read(c, alice, video, 'v1');
    expect(c.get(alice, video)).toBe('v1');
    expect(c.get(bob, video)).toBeUndefined();
  });

  it('never stores a read that was in flight when the video changed', () => {
    const c = cache();
    const video = randomUUID();
    const before = c.begin(alice, video);
    c.evict(video); // the notice overtakes the reply read before the change
    c.complete(before, 'old');
    expect(c.get(alice, video)).toBeUndefined();
    const after = c.begin(alice, video); // started after the notice: reads the changed row
    c.complete(after, 'new');
    expect(c.get(alice, video)).toBe('new');
  });

  it('a change drops the cached view; a change of another video does not', () => {
    const c = cache();
    const [one, two] = [randomUUID(), randomUUID()];
    read(c, alice, one, 'one');
    read(c, alice, two, 'two');
    const inFlight = c.begin(alice, two);
    c.evict(one);
    expect(c.get(alice, one)).toBeUndefined();
    expect(c.get(alice, two)).toBe('two');
    c.complete(inFlight, 'two again');
    expect(c.get(alice, two)).toBe('two again');
  });

  it('stores nothing for a failed read (a 404 included)', () => {
    const c = cache();
    const video = randomUUID();
    c.abandon(c.begin(alice, video));
    expect(c.get(alice, video)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('suspended (notices cannot arrive), it forgets everything, stores nothing and answers nothing', () => {
    const c = cache();
    const [one, two] = [randomUUID(), randomUUID()];
    read(c, alice, one, 'one');
    const inFlight = c.begin(alice, two);
    c.suspend();
    expect(c.get(alice, one)).toBeUndefined();
    read(c, alice, one, 'while down');
    c.resume();
    c.complete(inFlight, 'read across the outage');
    expect(c.get(alice, one)).toBeUndefined();
    expect(c.get(alice, two)).toBeUndefined();
    read(c, alice, one, 'after');
    expect(c.get(alice, one)).toBe('after');
  });

  it('resuming (after a reconnect) clears what was cached before it', () => {
    const c = cache();
    const video = randomUUID();
    read(c, alice, video, 'before');
    c.resume();
    expect(c.get(alice, video)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const c = cache(2);
    const [a, b, d] = [randomUUID(), randomUUID(), randomUUID()];
    read(c, alice, a, 'a');
    read(c, alice, b, 'b');
    expect(c.get(alice, a)).toBe('a'); // a is now the most recently used
    read(c, alice, d, 'd');
    expect(c.size).toBe(2);
    expect(c.get(alice, b)).toBeUndefined();
    expect(c.get(alice, a)).toBe('a');
    expect(c.get(alice, d)).toBe('d');
  });

  it('answers an entry for at most maxAgeMs', () => {
    const c = cache(10, 1000);
    const video = randomUUID();
    read(c, alice, video, 'v');
    now = 1000;
    expect(c.get(alice, video)).toBe('v');
    now = 1001;
    expect(c.get(alice, video)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('with maxEntries 0, or before the first resume, caches nothing', () => {
    const off = cache(0);
    const video = randomUUID();
    read(off, alice, video, 'v');
    expect(off.get(alice, video)).toBeUndefined();
    const notYet = new VideoViewCache<string>({ maxEntries: 10, maxAgeMs: 1000 });
    read(notYet, alice, video, 'v');
    expect(notYet.get(alice, video)).toBeUndefined();
  });
});
