import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { BillingIntegrationEvents } from '@study-buddy/contracts';
import { publishDefinitions } from '@study-buddy/messaging';
import {
  BackgroundWorkers,
  HealthController,
  Platform,
  PlatformConfig,
  PlatformModule,
  projectionProvider,
} from '@study-buddy/nest-kit';
import { BillingMsController } from './billing-ms.controller';
import { BILLING_ENV, BillingEnv } from './config';
import { gatewayEventsHandler } from './event-handlers/gateway-events.handler';
import { videosEventsHandler } from './event-handlers/videos-events.handler';
import { ACCOUNTS_PROJECTOR, LedgerService } from './ledger.service';
import { accountsProjection } from './read-model/accounts.projection';
import { reservationsProjection } from './read-model/reservations.projection';
import { reservationSweeper } from './reservation-sweeper';

@Module({})
export class BillingModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly ledger: LedgerService,
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
        LedgerService,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.projector(reservationsProjection()));
    this.workers.register(this.platform.relay(publishDefinitions(BillingIntegrationEvents)));
    this.workers.register(
      this.platform.consumer({
        durable: 'billing-gateway-events',
        from: 'gateway',
        handler: gatewayEventsHandler(this.ledger),
      }),
    );
    this.workers.register(
      this.platform.consumer({
        durable: 'billing-videos-events',
        from: 'videos',
        handler: videosEventsHandler(this.ledger),
      }),
    );
    this.workers.register(
      reservationSweeper(this.platform, this.ledger, {
        ttlMs: this.env.RESERVATION_TTL_MS,
        intervalMs: this.env.RESERVATION_SWEEP_INTERVAL_MS,
      }),
    );
  }
}
