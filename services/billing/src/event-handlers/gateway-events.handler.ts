import { GatewayIntegrationEvents, IntegrationEvent } from '@study-buddy/contracts';
import { IntegrationEventHandler, MessageContext } from '@study-buddy/messaging';
import { z } from 'zod';
import { LedgerService } from '../ledger.service';

/** A new user gets a credit account (with the signup grant); the event id makes a redelivery harmless. */
export function gatewayEventsHandler(ledger: LedgerService): IntegrationEventHandler {
  return async (event: IntegrationEvent, context: MessageContext) => {
    if (event.type !== GatewayIntegrationEvents.UserRegistered.type) return;
    const { userId } = event.data as z.infer<typeof GatewayIntegrationEvents.UserRegistered.schema>;
    await ledger.openAccount(userId, context, event.id);
  };
}
