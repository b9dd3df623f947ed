import { GatewayEvents } from '@study-buddy/contracts';
import { definePublications } from '@study-buddy/messaging';

/** What leaves the gateway: a registered user, without the password hash. UserEmailClaimed stays private. */
export const gatewayPublications = definePublications('gateway', GatewayEvents, {
  UserRegistered: ({ userId, email, registeredAt }) => ({ userId, email, registeredAt }),
});
