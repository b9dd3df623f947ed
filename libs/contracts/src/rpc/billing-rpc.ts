import { z } from 'zod';
import { uuid } from '../events/define-event';

export const openAccountRequest = z.object({ userId: uuid });
export const openAccountReply = z.object({ userId: uuid, balance: z.number().int() });

// attempt: which submission of the video (absent = 1); each attempt is reserved once
export const reserveCreditRequest = z.object({
  userId: uuid,
  videoId: uuid,
  attempt: z.number().int().positive().optional(),
});
export const reserveCreditReply = z.object({ videoId: uuid, balance: z.number().int(), reserved: z.number().int() });

export const balanceRequest = z.object({ userId: uuid });
export const balanceReply = z.object({ balance: z.number().int(), reserved: z.number().int() });

export type OpenAccountRequest = z.infer<typeof openAccountRequest>;
export type ReserveCreditRequest = z.infer<typeof reserveCreditRequest>;
export type ReserveCreditReply = z.infer<typeof reserveCreditReply>;
export type BalanceRequest = z.infer<typeof balanceRequest>;
export type BalanceReply = z.infer<typeof balanceReply>;
