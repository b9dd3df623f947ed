import { HandlersFor } from '@study-buddy/messaging';
import { LedgerService } from '../ledger.service';

/** A new user gets a credit account (with the signup grant); the event id makes a redelivery harmless. */
export function gatewayEventsHandler(ledger: LedgerService): HandlersFor<'billing', 'gateway'> {
  return {
    UserRegistered: async ({ userId }, context, { eventId }) =>
      void (await ledger.openAccount(userId, context, eventId)),
  };
}
