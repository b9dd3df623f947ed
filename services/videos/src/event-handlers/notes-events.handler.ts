import { IntegrationEvent, NotesIntegrationEvents } from '@study-buddy/contracts';
import { IntegrationEventHandler, MessageContext } from '@study-buddy/messaging';
import { z } from 'zod';
import { VideosService } from '../videos.service';

const now = () => new Date().toISOString();

/** A video is complete when its note is filed and readable, not merely written. */
export function notesEventsHandler(videos: VideosService): IntegrationEventHandler {
  return async (event: IntegrationEvent, context: MessageContext) => {
    if (event.type !== NotesIntegrationEvents.NoteCreated.type) return;
    const d = event.data as z.infer<typeof NotesIntegrationEvents.NoteCreated.schema>;
    await videos.execute(
      {
        type: 'CompleteVideo',
        videoId: d.videoId,
        noteId: d.noteId,
        title: d.note.title,
        subject: d.note.subject,
        now: now(),
      },
      context,
      event.id,
    );
  };
}
