import { z } from 'zod';
import { defineEvent, isoDate, uuid } from '../events/define-event';

/** What other services may learn about a user: never the password hash. */
export const GatewayIntegrationEvents = {
  UserRegistered: defineEvent(
    'UserRegistered',
    1,
    z.object({ userId: uuid, email: z.string().email(), registeredAt: isoDate }),
  ),
} as const;
