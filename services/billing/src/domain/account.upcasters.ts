import { BillingEvents, CheckoutEvents, StripeInboxEvents } from '@study-buddy/contracts';
import { createUpcasterRegistry, Upcaster } from '@study-buddy/event-store';

/** The reason the sweeper has always written when it releases a hold whose video never arrived. */
export const ORPHANED_REASON = 'the video was never accepted';

/**
 * CreditReleased v1 → v2: v1 said why only in free text. Before v2 exactly two
 * things released credits: the sweeper, with ORPHANED_REASON, and a failed
 * video ("processing failed: …"), so the cause follows from the text.
 */
export const creditReleasedV1ToV2: Upcaster = {
  type: 'CreditReleased',
  fromVersion: 1,
  upcast: (data) => {
    const v1 = data as { reason: string };
    return { ...v1, cause: v1.reason === ORPHANED_REASON ? 'orphaned' : 'processing_failed' };
  },
};

/** Every event type billing stores (ledger, checkouts, webhook inbox). */
export const billingSchemas = { ...BillingEvents, ...CheckoutEvents, ...StripeInboxEvents };

export const billingUpcasters = createUpcasterRegistry(billingSchemas, [creditReleasedV1ToV2]);
