import { Logger } from '@nestjs/common';
import { RPC, subjectsReply } from '@study-buddy/contracts';
import { MessageContext, Rpc } from '@study-buddy/messaging';
import { existingSubjectsOf } from './domain/existing-subjects';

/** Short: the subjects only help file the note, and the job must not wait on them. */
export const SUBJECTS_TIMEOUT_MS = 2000;
const logger = new Logger('UserSubjects');

/**
 * The user's subjects from the notes service, for the writer to file the note
 * under. Best effort: when notes is slow or down the note is written without
 * them (a new subject may be chosen) rather than the job failing or waiting.
 */
export async function userSubjects(
  rpc: Rpc,
  userId: string,
  videoId: string,
  context: MessageContext,
): Promise<string[]> {
  try {
    const reply = await rpc.request(
      RPC.notes.subjects,
      { userId },
      { context, reply: subjectsReply, timeoutMs: SUBJECTS_TIMEOUT_MS },
    );
    return existingSubjectsOf(reply.items);
  } catch (e) {
    logger.warn(
      `video ${videoId}: the user's subjects were not available (${(e as Error).message}); writing without them`,
    );
    return [];
  }
}
