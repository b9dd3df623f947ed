import { AppError, assertNever, Decider, NoteMetadata, NotesEvent } from '@study-buddy/contracts';

/**
 * One study note (stream `note-<id>`, one id per video for all its attempts). Pure.
 *
 * Its video may be cancelled or deleted, and the events saying so can reach notes before or after the
 * finished job does (per-type consumers keep no order). So a withdrawal is recorded even when there is no
 * note yet: it bars notes of the attempts it covers, and a deletion bars every later one.
 *
 * Its owner edits it (each edit a new version in a new object) on the version they read: an edit made on an
 * older version is refused, so two tabs cannot silently overwrite each other. Deleting it is a withdrawal.
 */

export type NoteCommand =
  | {
      type: 'CreateNote';
      noteId: string;
      userId: string;
      videoId: string;
      youtubeVideoId: string;
      videoUrl: string;
      contentKey: string;
      note: NoteMetadata;
      videoAttempt?: number;
      bodyText?: string;
      now: string;
    }
  | {
      type: 'EditNote';
      noteId: string;
      userId: string;
      expectedVersion: number;
      contentKey: string;
      title: string;
      subject: string;
      tags: string[];
      bodyText: string;
      wordCount: number;
      now: string;
    }
  | {
      type: 'WithdrawNote';
      noteId: string;
      userId: string;
      videoId: string;
      throughAttempt: number;
      reason: 'video_cancelled' | 'video_deleted' | 'note_deleted';
      now: string;
    };

export type CreateNoteCommand = Extract<NoteCommand, { type: 'CreateNote' }>;
export type EditNoteCommand = Extract<NoteCommand, { type: 'EditNote' }>;
export type WithdrawNoteCommand = Extract<NoteCommand, { type: 'WithdrawNote' }>;

export interface NoteState {
  exists: boolean;
  userId: string | null;
  /** The attempt of the video the current note came from. */
  videoAttempt: number;
  /** Notes of this attempt and earlier are not filed (their video attempt was cancelled). */
  barredThrough: number;
  deleted: boolean;
  contentKey: string | null;
  /** Every object a version of the current note was stored in (deleted with the note). */
  contentKeys: string[];
  videoId: string | null;
  /** 1 when filed, one more per edit. */
  version: number;
  title: string;
  subject: string;
  tags: string[];
}

export const noteStream = (noteId: string) => `note-${noteId}`;

export function initialState(): NoteState {
  return {
    exists: false,
    userId: null,
    videoAttempt: 0,
    barredThrough: 0,
    deleted: false,
    contentKey: null,
    contentKeys: [],
    videoId: null,
    version: 0,
    title: '',
    subject: '',
    tags: [],
  };
}

export function decide(command: NoteCommand, state: NoteState): NotesEvent[] {
  switch (command.type) {
    case 'CreateNote': {
      const attempt = command.videoAttempt ?? 1;
      if (state.deleted || attempt <= state.barredThrough) return []; // its video was deleted or cancelled first
      if (state.exists && state.videoAttempt >= attempt) return []; // the job completed twice (redelivery): one note
      const { type: _type, now, videoAttempt: _a, ...data } = command;
      return [
        { type: 'NoteCreated', data: { ...data, ...(attempt > 1 ? { videoAttempt: attempt } : {}), createdAt: now } },
      ];
    }
    case 'EditNote': {
      if (!state.exists || state.userId !== command.userId) throw new AppError('not_found', 'Note not found');
      if (command.expectedVersion !== state.version)
        throw new AppError(
          'precondition_failed',
          `The note has changed since version ${command.expectedVersion} (it is at version ${state.version}); read it again and reapply the edit`,
          { currentVersion: state.version },
        );
      const { type: _type, now, expectedVersion, ...data } = command;
      return [{ type: 'NoteEdited', data: { ...data, version: expectedVersion + 1, editedAt: now } }];
    }
    case 'WithdrawNote': {
      if (state.deleted) return [];
      if (command.reason === 'video_cancelled' && command.throughAttempt <= state.barredThrough) return [];
      const { type: _type, now, ...data } = command;
      // the content goes with a deletion; a cancelled attempt's content is overwritten by the retry's
      const contentKey = state.exists ? (state.contentKey ?? undefined) : undefined;
      const contentKeys = state.exists && state.contentKeys.length > 1 ? state.contentKeys : undefined;
      return [{ type: 'NoteWithdrawn', data: { ...data, contentKey, contentKeys, withdrawnAt: now } }];
    }
    default:
      return assertNever(command, 'note command');
  }
}

export function evolve(state: NoteState, event: NotesEvent): NoteState {
  switch (event.type) {
    case 'NoteCreated':
      return {
        ...state,
        exists: true,
        userId: event.data.userId,
        videoAttempt: event.data.videoAttempt ?? 1,
        contentKey: event.data.contentKey,
        contentKeys: [...new Set([...state.contentKeys, event.data.contentKey])],
        videoId: event.data.videoId,
        // a retry's note is a new note (the withdrawn attempt's edits went with it)
        version: 1,
        title: event.data.note.title,
        subject: event.data.note.subject,
        tags: event.data.note.tags,
      };
    case 'NoteEdited':
      return {
        ...state,
        contentKey: event.data.contentKey,
        contentKeys: [...state.contentKeys, event.data.contentKey],
        version: event.data.version,
        title: event.data.title,
        subject: event.data.subject,
        tags: event.data.tags,
      };
    case 'NoteWithdrawn': {
      const deleted = event.data.reason !== 'video_cancelled';
      const covered = deleted || state.videoAttempt <= event.data.throughAttempt;
      return {
        ...state,
        userId: state.userId ?? event.data.userId,
        exists: state.exists && !covered,
        barredThrough: Math.max(state.barredThrough, event.data.throughAttempt),
        deleted: state.deleted || deleted,
      };
    }
    default:
      return assertNever(event, 'notes event');
  }
}

export const noteDecider: Decider<NoteCommand, NotesEvent, NoteState> = { decide, evolve, initialState };
