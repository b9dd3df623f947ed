import { HandlersFor, LiveProgress } from '@study-buddy/messaging';
import { VideosService } from '../videos.service';

const now = () => new Date().toISOString();

/**
 * A video is complete when its note is filed and readable, not merely written. That moment is
 * announced live as well (with the note id), so progress streams can end on it. A note its owner
 * deletes later leaves the video without one.
 */
export function notesEventsHandler(videos: VideosService, live: LiveProgress): HandlersFor<'videos', 'notes'> {
  return {
    NoteCreated: async (d, context, { eventId }) => {
      const result = await videos.execute(
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
      );
      if (result.state.status !== 'completed') return;
      // A client told "completed" reads the video next: it must already show the note.
      await videos.readable(result.position);
      live.publish(
        {
          video_id: d.videoId,
          status: 'completed',
          step: 'completed',
          progress: 100,
          message: 'Study note ready',
          note_id: d.noteId,
          attempt: d.videoAttempt ?? 1,
        },
        { ...context, userId: d.userId },
      );
    },
    // Only its owner deleting the note concerns the video: the other withdrawals follow from the video's own end.
    NoteWithdrawn: async (d, context, { eventId }) => {
      if (d.reason !== 'note_deleted') return;
      await videos.execute({ type: 'DetachNote', videoId: d.videoId, noteId: d.noteId, now: now() }, context, eventId);
    },
  };
}
