import { NotesEvent } from '@study-buddy/contracts';
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
});
