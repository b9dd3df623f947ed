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

/** The video a credit was reserved for could not be recorded: give the credit back now, not at the sweep. */
export const releaseUnrecordedRequest = z.object({ userId: uuid, videoId: uuid });
export const releaseUnrecordedReply = z.object({ videoId: uuid, released: z.boolean() });

export const balanceRequest = z.object({ userId: uuid });
/** `debt`: clawed-back credits that were already spent (present only when owed). */
export const balanceReply = z.object({
  balance: z.number().int(),
  reserved: z.number().int(),
  debt: z.number().int().positive().optional(),
});

export type OpenAccountRequest = z.infer<typeof openAccountRequest>;
export type ReserveCreditRequest = z.infer<typeof reserveCreditRequest>;
export type ReserveCreditReply = z.infer<typeof reserveCreditReply>;
export type BalanceRequest = z.infer<typeof balanceRequest>;
export type BalanceReply = z.infer<typeof balanceReply>;

/** A credit package on sale: `amount` in the currency's minor units (999 = $9.99). */
export const creditPackage = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,50}$/),
  credits: z.number().int().positive(),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[a-z]{3}$/),
});
export type CreditPackage = z.infer<typeof creditPackage>;
export const packagesRequest = z.object({});
export const packagesReply = z.object({ items: z.array(creditPackage) });

const httpUrl = z.string().url().max(2000);
export const checkoutRequest = z.object({
  userId: uuid,
  packageId: z.string().min(1).max(50),
  successUrl: httpUrl.optional(),
  cancelUrl: httpUrl.optional(),
  /** The client's Idempotency-Key: the same key (per user) answers with the same session. */
  idempotencyKey: z.string().min(8).max(200).optional(),
});
export const checkoutReply = z.object({ checkoutUrl: z.string(), sessionId: z.string(), expiresAt: z.string() });

/** The webhook exactly as Stripe sent it: the raw body (base64, byte for byte) and its signature header. */
export const stripeWebhookRequest = z.object({
  payload: z.string().max(2_000_000),
  signature: z.string().max(2000).optional(),
});
export const stripeWebhookReply = z.object({ received: z.literal(true), duplicate: z.boolean() });

export const historyRequest = z.object({
  userId: uuid,
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const historyEntry = z.object({
  id: uuid,
  kind: z.enum(['grant', 'purchase', 'reserve', 'capture', 'release', 'refund', 'dispute', 'dispute_won']),
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  debtAfter: z.number().int(),
  videoId: z.string().nullable(),
  reason: z.string().nullable(),
  packageId: z.string().nullable(),
  amountPaid: z.number().int().nullable(),
  currency: z.string().nullable(),
  occurredAt: z.string(),
});
export const historyReply = z.object({ items: z.array(historyEntry), nextCursor: z.string().nullable() });

/** An operator's grant: `grantId` makes a re-run of the same command a no-op. */
export const grantCreditsRequest = z.object({
  userId: uuid,
  amount: z.number().int().min(1).max(100_000),
  grantId: z.string().min(1).max(200),
  note: z.string().min(1).max(500),
});
export const grantCreditsReply = z.object({ userId: uuid, balance: z.number().int(), granted: z.boolean() });

export const reconcileRequest = z.object({
  lookbackHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
});
export const reconcileReply = z.object({
  ran: z.boolean(),
  checked: z.number().int(),
  granted: z.array(z.string()),
});

export type CheckoutRequest = z.infer<typeof checkoutRequest>;
export type CheckoutReply = z.infer<typeof checkoutReply>;
export type HistoryEntry = z.infer<typeof historyEntry>;
export type HistoryReply = z.infer<typeof historyReply>;
export type ReconcileReply = z.infer<typeof reconcileReply>;
export type ReleaseUnrecordedRequest = z.infer<typeof releaseUnrecordedRequest>;
export type ReleaseUnrecordedReply = z.infer<typeof releaseUnrecordedReply>;
