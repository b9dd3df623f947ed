import { noteIdSeed } from '@study-buddy/contracts';
import { deterministicId } from '@study-buddy/event-store';
import { HandlersFor } from '@study-buddy/messaging';
import { NotesService } from '../notes.service';

/**
 * A cancelled video keeps no note (one that its job filed anyway is withdrawn, one still to come is barred);
 * a deleted video's note and content are deleted. The note id is the one the processor derives per video.
 */
export function videosEventsHandler(notes: NotesService): HandlersFor<'notes', 'videos'> {
  const withdraw = (
    d: { videoId: string; userId: string; attempt: number },
    reason: 'video_cancelled' | 'video_deleted',
    now: string,
  ) => ({
    type: 'WithdrawNote' as const,
    noteId: deterministicId(noteIdSeed(d.videoId)),
    userId: d.userId,
    videoId: d.videoId,
    throughAttempt: d.attempt,
    reason,
    now,
  });
  return {
    VideoCancelled: async (d, context, { eventId }) =>
      void (await notes.withdraw(withdraw(d, 'video_cancelled', d.cancelledAt), context, eventId)),
    VideoDeleted: async (d, context, { eventId }) =>
      void (await notes.withdraw(withdraw(d, 'video_deleted', d.deletedAt), context, eventId)),
  };
}
