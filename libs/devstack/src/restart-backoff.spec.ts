import { CRASH_LOOP_BACKOFF, RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  it('doubles from 1 s up to 30 s while the service keeps crashing', () => {
    const backoff = new RestartBackoff(CRASH_LOOP_BACKOFF);
    const delays = Array.from({ length: 8 }, () => backoff.next(500));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoff.restarts).toBe(8);
  });

  it('starts over after a run that lasted a minute, but keeps counting restarts', () => {
    const backoff = new RestartBackoff(CRASH_LOOP_BACKOFF);
    backoff.next(0);
    backoff.next(0);
    expect(backoff.next(59_999)).toBe(4000);
    expect(backoff.next(60_000)).toBe(1000);
    expect(backoff.next(10)).toBe(2000);
    expect(backoff.restarts).toBe(5);
  });
});
