import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { subscription } from '@study-buddy/contracts';
import {
  BackgroundWorkers,
  HealthController,
  Platform,
  PlatformConfig,
  PlatformModule,
  projectionProvider,
  queriesProvider,
} from '@study-buddy/nest-kit';
import { BillingMsController } from './billing-ms.controller';
import { BILLING_ENV, BillingEnv } from './config';
import { gatewayEventsHandler } from './event-handlers/gateway-events.handler';
import { videosEventsHandler } from './event-handlers/videos-events.handler';
import { ACCOUNTS_PROJECTOR, LedgerService } from './ledger.service';
import { accountsProjection } from './read-model/accounts.projection';
import { AccountsQueries } from './read-model/accounts.queries';
import { reservationsProjection } from './read-model/reservations.projection';
import { ReservationsQueries } from './read-model/reservations.queries';
import { reservationSweeper } from './reservation-sweeper';

@Module({})
export class BillingModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly ledger: LedgerService,
    private readonly reservations: ReservationsQueries,
    @Inject(BILLING_ENV) private readonly env: BillingEnv,
  ) {}

  static forRoot(config: PlatformConfig, env: BillingEnv): DynamicModule {
    return {
      module: BillingModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController, BillingMsController],
      providers: [
        { provide: BILLING_ENV, useValue: env },
        projectionProvider(ACCOUNTS_PROJECTOR, accountsProjection),
        queriesProvider(AccountsQueries),
        queriesProvider(ReservationsQueries),
        LedgerService,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.projector(reservationsProjection()));
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
        { reservations: this.reservations, rpc: this.platform.rpc, ledger: this.ledger },
        {
          ttlMs: this.env.RESERVATION_TTL_MS,
          intervalMs: this.env.RESERVATION_SWEEP_INTERVAL_MS,
        },
      ),
    );
  }
}
