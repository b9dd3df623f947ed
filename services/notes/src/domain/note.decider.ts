import { Decider, NoteMetadata, NotesEvent } from '@study-buddy/contracts';

/** One study note (stream `note-<id>`). Pure. */

export type NoteCommand = {
  type: 'CreateNote';
  noteId: string;
  userId: string;
  videoId: string;
  youtubeVideoId: string;
  videoUrl: string;
  contentKey: string;
  note: NoteMetadata;
  now: string;
};

export interface NoteState {
  exists: boolean;
  userId: string | null;
}

export const noteStream = (noteId: string) => `note-${noteId}`;

export function initialState(): NoteState {
  return { exists: false, userId: null };
}

export function decide(command: NoteCommand, state: NoteState): NotesEvent[] {
  if (state.exists) return []; // the job completed twice (redelivery): one note
  const { type: _type, now, ...data } = command;
  return [{ type: 'NoteCreated', data: { ...data, createdAt: now } }];
}

export function evolve(state: NoteState, event: NotesEvent): NoteState {
  switch (event.type) {
    case 'NoteCreated':
      return { exists: true, userId: event.data.userId };
  }
}

export const noteDecider: Decider<NoteCommand, NotesEvent, NoteState> = { decide, evolve, initialState };
