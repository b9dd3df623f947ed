import { randomBytes } from 'node:crypto';
import { DynamicModule, Logger, Module, OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import {
  BackgroundWorkers,
  createPostgresRateLimiter,
  HealthController,
  Platform,
  PlatformConfig,
  PlatformModule,
  projectionProvider,
  queriesProvider,
} from '@study-buddy/nest-kit';
import { AuthController } from './auth/auth.controller';
import { JwtAuthGuard } from './auth/auth.guard';
import { USERS_PROJECTOR, UsersService } from './auth/users.service';
import { GATEWAY_ENV, GatewayEnv } from './config';
import { gatewayPublications } from './gateway.publications';
import { CreditsController } from './http/credits.controller';
import { GatewayMsController } from './gateway-ms.controller';
import { NotesController } from './http/notes.controller';
import { StripeWebhookController } from './http/stripe-webhook.controller';
import { ProgressEventsController } from './http/progress-events.controller';
import { LiveProgressHub } from './live/live-progress.hub';
import { RATE_LIMIT_RULES, RATE_LIMITER, RateLimitGuard, rateLimitRules } from './http/rate-limit.guard';
import { VideosController } from './http/videos.controller';
import { usersProjection } from './read-model/users.projection';
import { UsersQueries } from './read-model/users.queries';

@Module({})
export class GatewayModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
  ) {}

  static forRoot(config: PlatformConfig, env: GatewayEnv): DynamicModule {
    let secret = env.JWT_SECRET;
    if (!secret) {
      new Logger('Auth').warn(
        'JWT_SECRET is not set: using a random key, so tokens stop working when the gateway restarts',
      );
      secret = randomBytes(48).toString('base64');
    }
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forRoot(config),
        JwtModule.register({
          secret,
          signOptions: { expiresIn: env.JWT_TTL_SECONDS, issuer: 'study-buddy', audience: 'study-buddy-api' },
          verifyOptions: { issuer: 'study-buddy', audience: 'study-buddy-api', algorithms: ['HS256'] },
        }),
      ],
      controllers: [
        HealthController,
        AuthController,
        VideosController,
        NotesController,
        CreditsController,
        StripeWebhookController,
        GatewayMsController,
        ProgressEventsController,
      ],
      providers: [
        { provide: GATEWAY_ENV, useValue: env },
        projectionProvider(USERS_PROJECTOR, usersProjection),
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        queriesProvider(UsersQueries),
        UsersService,
        {
          provide: RATE_LIMITER,
          inject: [Platform],
          useFactory: (platform: Platform) => createPostgresRateLimiter(platform.pool, platform.config.schema),
        },
        { provide: RATE_LIMIT_RULES, useValue: rateLimitRules(env) },
        RateLimitGuard,
        LiveProgressHub,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.relay(gatewayPublications));
  }
}
