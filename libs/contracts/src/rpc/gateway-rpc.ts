import { z } from 'zod';
import { uuid } from '../events/define-event';

/** For operators' tools: the user registered with this e-mail address (404 when none). */
export const findUserRequest = z.object({ email: z.string().trim().min(3).max(254) });
export const findUserReply = z.object({ userId: uuid });
