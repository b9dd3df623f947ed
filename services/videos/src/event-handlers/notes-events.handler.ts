import { HandlersFor } from '@study-buddy/messaging';
import { VideosService } from '../videos.service';

const now = () => new Date().toISOString();

/** A video is complete when its note is filed and readable, not merely written. */
export function notesEventsHandler(videos: VideosService): HandlersFor<'videos', 'notes'> {
  return {
    NoteCreated: async (d, context, { eventId }) =>
      void (await videos.execute(
        {
          type: 'CompleteVideo',
          videoId: d.videoId,
          attempt: d.videoAttempt ?? 1,
          noteId: d.noteId,
          title: d.note.title,
          subject: d.note.subject,
          now: now(),
        },
        context,
        eventId,
      )),
  };
}
