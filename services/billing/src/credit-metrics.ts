import { billingCredits } from '@study-buddy/observability';
import { BillingEvent } from '@study-buddy/contracts';

/** `billing_credits_total` by operation, from the events a command appended (never from reads or replays). */
export function countCredits(events: readonly BillingEvent[]): void {
  for (const event of events) {
    const moved = operationOf(event);
    if (moved) billingCredits.inc({ operation: moved.operation }, moved.amount);
  }
}

function operationOf(event: BillingEvent): { operation: string; amount: number } | undefined {
  switch (event.type) {
    case 'CreditReserved':
      return { operation: 'reserved', amount: event.data.amount };
    case 'CreditCaptured':
      return { operation: 'captured', amount: event.data.amount };
    case 'CreditReleased':
      return { operation: 'released', amount: event.data.amount };
    case 'CreditsGranted':
      return { operation: event.data.reason === 'purchase' ? 'purchased' : 'granted', amount: event.data.amount };
    case 'CreditsClawedBack':
      return { operation: 'refunded', amount: event.data.amount };
    case 'CreditsRestored':
      return { operation: 'restored', amount: event.data.amount };
    default:
      return undefined;
  }
}
