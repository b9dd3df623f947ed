import { z } from 'zod';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';

/** sha256 (hex) of a refresh token's secret: the token itself is never stored. */
const tokenHash = z.string().regex(/^[0-9a-f]{64}$/);
const sessionEndReason = z.enum(['logout', 'reuse_detected', 'sessions_revoked']);

/**
 * Streams `user-<id>`, `user-email-<sha256(email)>` (uniqueness) and
 * `user-session-<sessionId>` (one login's refresh-token family), owned by the gateway.
 */
export const GatewayEvents = {
  /** v2: `name` is always present, null when the user gave none (v1 left it out); see user.upcasters.ts. */
  UserRegistered: defineEvent(
    'UserRegistered',
    2,
    z.object({
      userId: uuid,
      email: z.string().email(),
      name: z.string().max(200).nullable(),
      // scrypt hash; never leaves the gateway (the published UserRegistered has no such field)
      passwordHash: z.string(),
      registeredAt: isoDate,
    }),
  ),
  UserEmailClaimed: defineEvent('UserEmailClaimed', 1, z.object({ userId: uuid, email: z.string().email() })),
  /** Only the fields that changed are present; null clears a setting. */
  UserProfileUpdated: defineEvent(
    'UserProfileUpdated',
    1,
    z.object({
      userId: uuid,
      name: z.string().max(200).nullable().optional(),
      defaultSubject: z.string().max(100).nullable().optional(),
      noteLanguage: z.string().max(20).nullable().optional(),
      assessment: z.boolean().nullable().optional(),
      updatedAt: isoDate,
    }),
  ),
  /** Ends every session of the user: sessions started in an earlier epoch can no longer refresh. */
  UserSessionsRevoked: defineEvent(
    'UserSessionsRevoked',
    1,
    z.object({ userId: uuid, epoch: z.number().int().min(1), revokedAt: isoDate }),
  ),
  /** A new password hash; also starts a new session epoch (other sessions end). */
  UserPasswordChanged: defineEvent(
    'UserPasswordChanged',
    1,
    z.object({ userId: uuid, passwordHash: z.string(), epoch: z.number().int().min(1), changedAt: isoDate }),
  ),
  SessionStarted: defineEvent(
    'SessionStarted',
    1,
    z.object({
      sessionId: uuid,
      userId: uuid,
      epoch: z.number().int().min(0),
      tokenHash,
      startedAt: isoDate,
      expiresAt: isoDate,
    }),
  ),
  /** The refresh token was used and replaced: `previousTokenHash` is now spent. */
  SessionRefreshed: defineEvent(
    'SessionRefreshed',
    1,
    z.object({ sessionId: uuid, previousTokenHash: tokenHash, tokenHash, refreshedAt: isoDate, expiresAt: isoDate }),
  ),
  SessionEnded: defineEvent(
    'SessionEnded',
    1,
    z.object({ sessionId: uuid, userId: uuid, reason: sessionEndReason, endedAt: isoDate }),
  ),
} as const;
export type GatewayEvent = EventsOf<typeof GatewayEvents>;
