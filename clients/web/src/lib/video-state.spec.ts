import type { ProgressUpdate, Video } from '../api';
import { isNewer } from './video-state';

const video = { attempt: 1, updated_at: '2026-12-01T12:00:10.000Z' } as Video;
const update = (at: string, attempt?: number) => ({ at, attempt }) as ProgressUpdate;

describe('a stream update against the listed row', () => {
  it('wins when it is as late or later, loses when the row moved on (a cancel)', () => {
    expect(isNewer(update('2026-12-01T12:00:11.000Z', 1), video)).toBe(true);
    expect(isNewer(update('2026-12-01T12:00:10.000Z', 1), video)).toBe(true);
    expect(isNewer(update('2026-12-01T12:00:09.000Z', 1), video)).toBe(false);
  });

  it('goes by the attempt first', () => {
    expect(isNewer(update('2026-12-01T12:00:00.000Z', 2), video)).toBe(true);
    expect(isNewer(update('2026-12-01T12:01:00.000Z', 1), { ...video, attempt: 2 })).toBe(false);
  });
});
