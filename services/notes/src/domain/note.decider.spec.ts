import { AppError, NotesEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { NoteCommand, noteDecider, NoteState } from './note.decider';

const spec = deciderSpec<NoteCommand, NotesEvent, NoteState>(noteDecider);
const note = {
  title: 'Photosynthesis',
  subject: 'Biology',
  tags: ['biology'],
  concepts: ['Chlorophyll'],
  language: 'en',
  wordCount: 500,
  summary: 'Plants.',
};
const create: NoteCommand = {
  type: 'CreateNote',
  noteId: '33333333-3333-4333-8333-333333333333',
  userId: '11111111-1111-4111-8111-111111111111',
  videoId: '22222222-2222-4222-8222-222222222222',
  youtubeVideoId: 'dQw4w9WgXcQ',
  videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  contentKey: 'notes/u/n.md',
  note,
  now: '2026-11-30T10:00:00.000Z',
};
const { type: _t, now: _n, ...data } = create;
const created: NotesEvent = { type: 'NoteCreated', data: { ...data, createdAt: create.now } };

describe('note decider', () => {
  it('creates a note', () => spec.given([]).when(create).then([created]));
  it('creates it once', () => spec.given([created]).when(create).thenNothingHappens());
  it('remembers its owner', () => spec.given([created]).thenState({ exists: true, userId: create.userId }));

  describe('withdrawal (its video cancelled or deleted)', () => {
    const withdraw = (reason: 'video_cancelled' | 'video_deleted', throughAttempt = 1): NoteCommand => ({
      type: 'WithdrawNote',
      noteId: create.noteId,
      userId: create.userId,
      videoId: create.videoId,
      throughAttempt,
      reason,
      now: create.now,
    });
    const withdrawn = (
      reason: 'video_cancelled' | 'video_deleted',
      throughAttempt = 1,
      contentKey?: string,
    ): NotesEvent => ({
      type: 'NoteWithdrawn',
      data: {
        noteId: create.noteId,
        userId: create.userId,
        videoId: create.videoId,
        throughAttempt,
        reason,
        contentKey,
        withdrawnAt: create.now,
      },
    });
    const retryCreate: NoteCommand = { ...create, videoAttempt: 2 };
    const retryCreated: NotesEvent = { type: 'NoteCreated', data: { ...data, videoAttempt: 2, createdAt: create.now } };

    it('withdraws the note of a cancelled attempt', () => {
      spec
        .given([created])
        .when(withdraw('video_cancelled'))
        .then([withdrawn('video_cancelled', 1, 'notes/u/n.md')]);
      spec.given([created, withdrawn('video_cancelled')]).thenState({ exists: false, barredThrough: 1 });
    });
    it('bars the note of a cancelled attempt that arrives after the cancellation', () => {
      spec
        .given([])
        .when(withdraw('video_cancelled'))
        .then([withdrawn('video_cancelled')]);
      spec
        .given([withdrawn('video_cancelled')])
        .when(create)
        .thenNothingHappens();
    });
    it('withdraws once', () =>
      spec
        .given([created, withdrawn('video_cancelled')])
        .when(withdraw('video_cancelled'))
        .thenNothingHappens());
    it('files the retry’s note after the cancelled attempt', () =>
      spec
        .given([withdrawn('video_cancelled')])
        .when(retryCreate)
        .then([retryCreated]));
    it('keeps a retry’s note when the older attempt’s cancellation arrives late', () =>
      spec
        .given([retryCreated, withdrawn('video_cancelled', 1)])
        .thenState({ exists: true, videoAttempt: 2, barredThrough: 1 }));
    it('deletes the note of a deleted video, for good', () => {
      spec
        .given([created])
        .when(withdraw('video_deleted'))
        .then([withdrawn('video_deleted', 1, 'notes/u/n.md')]);
      spec
        .given([created, withdrawn('video_deleted')])
        .when(retryCreate)
        .thenNothingHappens();
      spec
        .given([created, withdrawn('video_deleted')])
        .when(withdraw('video_deleted'))
        .thenNothingHappens();
      spec
        .given([created, withdrawn('video_deleted')])
        .when(withdraw('video_cancelled', 5))
        .thenNothingHappens();
      spec
        .given([withdrawn('video_deleted')])
        .when(create)
        .thenNothingHappens();
    });
  });

  describe('edits (its owner, on the version they read)', () => {
    const edit = (expectedVersion: number, userId = create.userId): NoteCommand => ({
      type: 'EditNote',
      noteId: create.noteId,
      userId,
      expectedVersion,
      contentKey: `notes/u/n/v${expectedVersion + 1}.md`,
      title: 'Photosynthesis, mine',
      subject: 'Biology',
      tags: ['plants'],
      bodyText: 'My words.',
      wordCount: 2,
      now: '2026-11-30T11:00:00.000Z',
    });
    const edited = (version: number): NotesEvent => ({
      type: 'NoteEdited',
      data: {
        noteId: create.noteId,
        userId: create.userId,
        version,
        contentKey: `notes/u/n/v${version}.md`,
        title: 'Photosynthesis, mine',
        subject: 'Biology',
        tags: ['plants'],
        bodyText: 'My words.',
        wordCount: 2,
        editedAt: '2026-11-30T11:00:00.000Z',
      },
    });

    it('records an edit as the next version', () =>
      spec
        .given([created])
        .when(edit(1))
        .then([edited(2)]));
    it('counts versions and keeps every version’s object', () =>
      spec
        .given([created, edited(2), edited(3)])
        .thenState({ version: 3, contentKeys: ['notes/u/n.md', 'notes/u/n/v2.md', 'notes/u/n/v3.md'] }));
    it('refuses an edit made on a stale version', () =>
      spec
        .given([created, edited(2)])
        .when(edit(1))
        .thenThrows(AppError, /changed since version 1 .*at version 2/));
    it('refuses an edit of a note that is not there or not the caller’s', () => {
      spec.given([]).when(edit(1)).thenThrows(AppError, 'Note not found');
      spec
        .given([created])
        .when(edit(1, '99999999-9999-4999-8999-999999999999'))
        .thenThrows(AppError, 'Note not found');
    });
    it('deleting an edited note names every version’s object, and bars later attempts', () => {
      const remove: NoteCommand = {
        type: 'WithdrawNote',
        noteId: create.noteId,
        userId: create.userId,
        videoId: create.videoId,
        throughAttempt: 1,
        reason: 'note_deleted',
        now: create.now,
      };
      spec
        .given([created, edited(2)])
        .when(remove)
        .then([
          {
            type: 'NoteWithdrawn',
            data: {
              noteId: create.noteId,
              userId: create.userId,
              videoId: create.videoId,
              throughAttempt: 1,
              reason: 'note_deleted',
              contentKey: 'notes/u/n/v2.md',
              contentKeys: ['notes/u/n.md', 'notes/u/n/v2.md'],
              withdrawnAt: create.now,
            },
          },
        ]);
      const withdrawnEvent: NotesEvent = {
        type: 'NoteWithdrawn',
        data: {
          noteId: create.noteId,
          userId: create.userId,
          videoId: create.videoId,
          throughAttempt: 1,
          reason: 'note_deleted',
          withdrawnAt: create.now,
        },
      };
      spec.given([created, edited(2), withdrawnEvent]).thenState({ exists: false, deleted: true });
      spec
        .given([created, edited(2), withdrawnEvent])
        .when({ ...create, videoAttempt: 2 })
        .thenNothingHappens();
      spec
        .given([created, edited(2), withdrawnEvent])
        .when(edit(2))
        .thenThrows(AppError, 'Note not found');
    });
  });
});
