import { assertNever, Decider, PlaylistEvent } from '@study-buddy/contracts';

/**
 * A user's submitted playlist (stream `playlist-<id>`, the id derived from the user and the YouTube
 * playlist id, so the same request twice meets on one stream). It lists the videos the playlist's
 * requests submitted or found; each video keeps its own lifecycle and credit in its own stream.
 */
export interface PlaylistEntry {
  position: number;
  videoId: string;
  youtubeVideoId: string;
}

export type PlaylistCommand = {
  type: 'AddPlaylistItems';
  playlistId: string;
  userId: string;
  youtubePlaylistId: string;
  title: string | null;
  items: PlaylistEntry[];
  now: string;
};

export interface PlaylistState {
  exists: boolean;
  userId: string | null;
  videoIds: Set<string>;
}

export const playlistStream = (playlistId: string) => `playlist-${playlistId}`;

export const initialState = (): PlaylistState => ({ exists: false, userId: null, videoIds: new Set() });

export function decide(command: PlaylistCommand, state: PlaylistState): PlaylistEvent[] {
  switch (command.type) {
    case 'AddPlaylistItems': {
      // only entries the playlist does not list yet; a repeat of the same request adds nothing
      const items = command.items.filter((i) => !state.videoIds.has(i.videoId));
      if (state.exists && items.length === 0) return [];
      return [
        {
          type: 'PlaylistItemsAdded',
          data: {
            playlistId: command.playlistId,
            userId: state.userId ?? command.userId,
            youtubePlaylistId: command.youtubePlaylistId,
            title: command.title,
            items,
            addedAt: command.now,
          },
        },
      ];
    }
    default:
      return assertNever(command.type, 'playlist command');
  }
}

export function evolve(state: PlaylistState, event: PlaylistEvent): PlaylistState {
  switch (event.type) {
    case 'PlaylistItemsAdded':
      return {
        exists: true,
        userId: state.userId ?? event.data.userId,
        videoIds: new Set([...state.videoIds, ...event.data.items.map((i) => i.videoId)]),
      };
    default:
      return assertNever(event.type, 'playlist event');
  }
}

export const playlistDecider: Decider<PlaylistCommand, PlaylistEvent, PlaylistState> = {
  decide,
  evolve,
  initialState,
};
