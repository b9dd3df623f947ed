import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { subscription } from '@study-buddy/contracts';
import { createPostgresLeaderLock, createPostgresSnapshotStore } from '@study-buddy/event-store';
import {
  BackgroundWorkers,
  HealthController,
  PG_POOL,
  Platform,
  PLATFORM_CONFIG,
  PlatformConfig,
  PlatformModule,
  projectionProvider,
  queriesProvider,
} from '@study-buddy/nest-kit';
import { createStripeClient, stripePayments, stripeWebhookVerifier } from './adapters/stripe/stripe-payments';
import { BillingMsController } from './billing-ms.controller';
import { CheckoutService } from './checkout.service';
import { BILLING_ENV, BillingEnv } from './config';
import { PAYMENT_PROVIDER, WEBHOOK_VERIFIER } from './domain/payments.port';
import { gatewayEventsHandler } from './event-handlers/gateway-events.handler';
import { videosEventsHandler } from './event-handlers/videos-events.handler';
import { ACCOUNT_SNAPSHOTS, ACCOUNTS_PROJECTOR, LedgerService } from './ledger.service';
import { accountsProjection } from './read-model/accounts.projection';
import { AccountsQueries } from './read-model/accounts.queries';
import { checkoutsProjection } from './read-model/checkouts.projection';
import { CheckoutsQueries } from './read-model/checkouts.queries';
import { reservationsProjection } from './read-model/reservations.projection';
import { ReservationsQueries } from './read-model/reservations.queries';
import { Reconciliation, reconciliationWorker } from './reconciliation';
import { reservationSweeper } from './reservation-sweeper';
import { stripeInboxProjection } from './stripe-inbox.projection';
import { StripeWebhookService } from './stripe-webhook.service';

@Module({})
export class BillingModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly ledger: LedgerService,
    private readonly reservations: ReservationsQueries,
    private readonly webhooks: StripeWebhookService,
    private readonly reconciliation: Reconciliation,
    @Inject(BILLING_ENV) private readonly env: BillingEnv,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  static forRoot(config: PlatformConfig, env: BillingEnv): DynamicModule {
    return {
      module: BillingModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController, BillingMsController],
      providers: [
        { provide: BILLING_ENV, useValue: env },
        {
          provide: PAYMENT_PROVIDER,
          useValue: env.STRIPE_SECRET_KEY
            ? stripePayments(
                createStripeClient({ secretKey: env.STRIPE_SECRET_KEY, apiBaseUrl: env.STRIPE_API_BASE_URL }),
              )
            : null,
        },
        {
          provide: WEBHOOK_VERIFIER,
          useValue: env.STRIPE_WEBHOOK_SECRET
            ? stripeWebhookVerifier(env.STRIPE_WEBHOOK_SECRET, env.STRIPE_WEBHOOK_TOLERANCE_SECONDS)
            : null,
        },
        {
          provide: ACCOUNT_SNAPSHOTS,
          inject: [PG_POOL, PLATFORM_CONFIG],
          useFactory: (pool: Pool, platform: PlatformConfig) =>
            createPostgresSnapshotStore({ pool, schema: platform.schema }),
        },
        projectionProvider(ACCOUNTS_PROJECTOR, accountsProjection),
        queriesProvider(AccountsQueries),
        queriesProvider(ReservationsQueries),
        queriesProvider(CheckoutsQueries),
        LedgerService,
        CheckoutService,
        StripeWebhookService,
        {
          provide: Reconciliation,
          inject: [CheckoutService, PG_POOL, PLATFORM_CONFIG],
          useFactory: (checkouts: CheckoutService, pool: Pool, platform: PlatformConfig) =>
            new Reconciliation(
              checkouts,
              () => createPostgresLeaderLock(pool, `${platform.schema}:stripe-reconciliation`),
              env.RECONCILE_LOOKBACK_HOURS,
            ),
        },
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.projector(reservationsProjection()));
    this.workers.register(this.platform.projector(checkoutsProjection()));
    this.workers.register(this.platform.projector(stripeInboxProjection((data) => this.webhooks.process(data))));
    // Billing publishes nothing (BillingIntegrationEvents is empty: nobody consumes the ledger), so it runs no relay.
    this.workers.register(
      this.platform.consumer({
        subscription: subscription('billing', 'gateway'),
        handlers: gatewayEventsHandler(this.ledger),
      }),
    );
    this.workers.register(
      this.platform.consumer({
        subscription: subscription('billing', 'videos'),
        handlers: videosEventsHandler(this.ledger),
      }),
    );
    this.workers.register(
      reservationSweeper(
        {
          reservations: this.reservations,
          rpc: this.platform.rpc,
          ledger: this.ledger,
          lock: createPostgresLeaderLock(this.pool, `${this.config.schema}:reservation-sweeper`),
        },
        {
          ttlMs: this.env.RESERVATION_TTL_MS,
          intervalMs: this.env.RESERVATION_SWEEP_INTERVAL_MS,
        },
      ),
    );
    if (this.env.STRIPE_SECRET_KEY)
      this.workers.register(reconciliationWorker(this.reconciliation, this.env.RECONCILE_INTERVAL_MS));
  }
}
