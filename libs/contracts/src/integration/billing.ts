/** Nobody consumes the credit ledger's events: billing publishes nothing (and runs no relay). */
export const BillingIntegrationEvents = {} as const;
