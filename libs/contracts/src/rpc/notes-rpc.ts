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
  content: z.string().optional(),
});
export type NoteView = z.infer<typeof noteView>;

export const getNoteRequest = z.object({
  userId: uuid,
  noteId: resourceId,
  includeContent: z.boolean().default(false),
});
export type GetNoteRequest = z.infer<typeof getNoteRequest>;

export const listNotesRequest = pageRequest.extend({ userId: uuid, subject: z.string().max(100).optional() });
export type ListNotesRequest = z.infer<typeof listNotesRequest>;
export const listNotesReply = pageReply(noteView);
export type ListNotesReply = z.infer<typeof listNotesReply>;
