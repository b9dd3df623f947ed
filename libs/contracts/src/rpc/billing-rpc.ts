import { z } from 'zod';
import { uuid } from '../events/define-event';

export const openAccountRequest = z.object({ userId: uuid });
export const openAccountReply = z.object({ userId: uuid, balance: z.number().int() });

export const reserveCreditRequest = z.object({ userId: uuid, videoId: uuid });
export const reserveCreditReply = z.object({ videoId: uuid, balance: z.number().int(), reserved: z.number().int() });

/** The video a credit was reserved for could not be recorded: give the credit back now, not at the sweep. */
export const releaseUnrecordedRequest = z.object({ userId: uuid, videoId: uuid });
export const releaseUnrecordedReply = z.object({ videoId: uuid, released: z.boolean() });

export const balanceRequest = z.object({ userId: uuid });
export const balanceReply = z.object({ balance: z.number().int(), reserved: z.number().int() });

export type OpenAccountRequest = z.infer<typeof openAccountRequest>;
export type ReserveCreditRequest = z.infer<typeof reserveCreditRequest>;
export type ReserveCreditReply = z.infer<typeof reserveCreditReply>;
export type BalanceRequest = z.infer<typeof balanceRequest>;
export type BalanceReply = z.infer<typeof balanceReply>;
export type ReleaseUnrecordedRequest = z.infer<typeof releaseUnrecordedRequest>;
export type ReleaseUnrecordedReply = z.infer<typeof releaseUnrecordedReply>;
