import { z } from 'zod';
import { uuid } from '../events/define-event';
import { pageReply, pageRequest } from './pagination';
import { resourceId } from '../validation';

export const noteView = z.object({
  noteId: uuid,
  videoId: uuid,
  youtubeVideoId: z.string(),
  videoUrl: z.string(),
  title: z.string(),
  subject: z.string(),
  tags: z.array(z.string()),
  concepts: z.array(z.string()),
  language: z.string(),
  summary: z.string(),
  wordCount: z.number(),
  createdAt: z.string(),
  /** 1 when filed, one more per edit: the note's ETag. */
  version: z.number().int().positive().optional(),
  /** The rendered Markdown: front matter, the body with inline [[links]], the generated Related notes section. */
  content: z.string().optional(),
  /** The owner's own text (what PATCH takes), without front matter or generated parts. */
  body: z.string().optional(),
  /** With the content: how [[links]] name this note (its title, unique per user, safe inside [[...]]). */
  linkTitle: z.string().optional(),
});
export type NoteView = z.infer<typeof noteView>;

export const getNoteRequest = z.object({
  userId: uuid,
  noteId: resourceId,
  includeContent: z.boolean().default(false),
});
export type GetNoteRequest = z.infer<typeof getNoteRequest>;

export const listNotesRequest = pageRequest.extend({
  userId: uuid,
  subject: z.string().max(100).optional(),
  tag: z.string().max(100).optional(),
  q: z.string().max(500).optional(),
});
export type ListNotesRequest = z.infer<typeof listNotesRequest>;
export const listNotesReply = pageReply(noteView.extend({ snippet: z.string().optional() }));
export type ListNotesReply = z.infer<typeof listNotesReply>;

export const subjectsRequest = z.object({ userId: uuid });
export const subjectsReply = z.object({
  items: z.array(z.object({ subject: z.string(), noteCount: z.number().int().nonnegative() })),
});
export type SubjectsReply = z.infer<typeof subjectsReply>;

/** A note's text as its owner edits it: no front matter, no generated Related notes section. */
export const noteBody = z.string().max(200_000);
export const editNoteRequest = z.object({
  userId: uuid,
  noteId: resourceId,
  /** The version the edit was made on (the ETag the client read): a stale one is refused. */
  expectedVersion: z.number().int().positive(),
  title: z.string().trim().min(1).max(300).optional(),
  subject: z.string().trim().min(1).max(100).optional(),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  body: noteBody.optional(),
});
export type EditNoteRequest = z.infer<typeof editNoteRequest>;

export const noteRequest = z.object({ userId: uuid, noteId: resourceId });
export type NoteRequest = z.infer<typeof noteRequest>;

export const noteVersionsReply = z.object({
  items: z.array(
    z.object({
      version: z.number().int().positive(),
      kind: z.enum(['created', 'edited']),
      title: z.string(),
      at: z.string(),
    }),
  ),
});
export type NoteVersionsReply = z.infer<typeof noteVersionsReply>;

export const relatedNotesRequest = noteRequest.extend({ limit: z.coerce.number().int().min(1).max(50).default(5) });
export const relatedNote = z.object({
  noteId: uuid,
  title: z.string(),
  /** How [[links]] name the note: its title made unique in the owner's library and safe inside [[...]]. */
  linkTitle: z.string(),
  subject: z.string(),
  score: z.number(),
  sharedConcepts: z.array(z.string()),
});
export const relatedNotesReply = z.object({ items: z.array(relatedNote) });
export type RelatedNotesReply = z.infer<typeof relatedNotesReply>;

export const graphReply = z.object({
  nodes: z.array(z.object({ noteId: uuid, title: z.string(), subject: z.string() })),
  edges: z.array(z.object({ source: uuid, target: uuid, weight: z.number() })),
});
export type GraphReply = z.infer<typeof graphReply>;
