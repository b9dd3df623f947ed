import { PlaylistEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { PlaylistCommand, playlistDecider, PlaylistState } from './playlist.decider';

const spec = deciderSpec<PlaylistCommand, PlaylistEvent, PlaylistState>(playlistDecider);
const playlistId = '44444444-4444-4444-8444-444444444444';
const userId = '11111111-1111-4111-8111-111111111111';
const now = '2026-12-01T10:00:00.000Z';
const entry = (n: number) => ({
  position: n,
  videoId: `22222222-2222-4222-8222-00000000000${n}`,
  youtubeVideoId: `vid${n}xxxxxxx`.slice(0, 11),
});
const add = (...n: number[]): PlaylistCommand => ({
  type: 'AddPlaylistItems',
  playlistId,
  userId,
  youtubePlaylistId: 'PLabc',
  title: 'Course',
  items: n.map(entry),
  now,
});
const added = (...n: number[]): PlaylistEvent => ({
  type: 'PlaylistItemsAdded',
  data: { playlistId, userId, youtubePlaylistId: 'PLabc', title: 'Course', items: n.map(entry), addedAt: now },
});

describe('playlist decider', () => {
  it('creates the playlist with its entries', () =>
    spec
      .given([])
      .when(add(0, 1))
      .then([added(0, 1)]));
  it('creates it even with no entry (every video was left out for want of credits)', () =>
    spec.given([]).when(add()).then([added()]));
  it('adds only the entries it does not list yet', () =>
    spec
      .given([added(0, 1)])
      .when(add(0, 1, 2))
      .then([added(2)]));
  it('changes nothing for a repeat of the same request', () =>
    spec
      .given([added(0, 1)])
      .when(add(0, 1))
      .thenNothingHappens());
  it('keeps what it lists', () =>
    spec
      .given([added(0), added(1)])
      .thenState({ exists: true, userId, videoIds: new Set([entry(0).videoId, entry(1).videoId]) }));
});
