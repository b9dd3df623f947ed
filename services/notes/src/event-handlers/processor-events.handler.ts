import { HandlersFor } from '@study-buddy/messaging';
import { NotesService } from '../notes.service';

/** A completed job's note is filed here: the note stream is the record that it exists. */
export function processorEventsHandler(notes: NotesService): HandlersFor<'notes', 'processor'> {
  return {
    JobCompleted: async (d, context, { eventId }) =>
      void (await notes.create(
        {
          type: 'CreateNote',
          noteId: d.noteId,
          userId: d.userId,
          videoId: d.videoId,
          youtubeVideoId: d.youtubeVideoId,
          videoUrl: d.videoUrl,
          contentKey: d.contentKey,
          note: d.note,
          videoAttempt: d.videoAttempt,
          now: d.completedAt,
        },
        context,
        eventId,
      )),
  };
}
