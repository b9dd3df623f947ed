import { z } from 'zod';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';

/** Streams `user-<id>` and `user-email-<sha256(email)>`, owned by the gateway. */
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
} as const;
export type GatewayEvent = EventsOf<typeof GatewayEvents>;
