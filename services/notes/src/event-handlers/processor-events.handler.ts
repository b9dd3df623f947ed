import { ProcessorEvents } from '@study-buddy/contracts';
import { IntegrationEventHandler } from '@study-buddy/messaging';
import { z } from 'zod';
import { NotesService } from '../notes.service';

/** A completed job's note is filed here: the note stream is the record that it exists. */
export function processorEventsHandler(notes: NotesService): IntegrationEventHandler {
  return async (event, context) => {
    if (event.type !== ProcessorEvents.JobCompleted.type) return;
    const d = event.data as z.infer<typeof ProcessorEvents.JobCompleted.schema>;
    await notes.create(
      {
        type: 'CreateNote',
        noteId: d.noteId,
        userId: d.userId,
        videoId: d.videoId,
        youtubeVideoId: d.youtubeVideoId,
        videoUrl: d.videoUrl,
        contentKey: d.contentKey,
        note: d.note,
        now: d.completedAt,
      },
      context,
      event.id,
    );
  };
}
