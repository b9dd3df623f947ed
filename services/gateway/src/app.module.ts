import { DynamicModule, Logger, Module, OnModuleInit, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Pool } from 'pg';
import {
  BackgroundWorkers,
  createPostgresRateLimiter,
  HealthController,
  PG_POOL,
  Platform,
  PLATFORM_CONFIG,
  PlatformConfig,
  PlatformModule,
  projectionProvider,
  queriesProvider,
} from '@study-buddy/nest-kit';
import { AccessTokens } from './auth/access-tokens';
import { AuthController } from './auth/auth.controller';
import { JwtAuthGuard } from './auth/auth.guard';
import { JwksController } from './auth/jwks.controller';
import { generateSigningKeyPem, parseSigningKeys } from './auth/signing-keys';
import { USERS_PROJECTOR, UsersService } from './auth/users.service';
import { GATEWAY_ENV, GatewayEnv } from './config';
import { gatewayPublications } from './gateway.publications';
import { CreditsController } from './http/credits.controller';
import { GatewayMsController } from './gateway-ms.controller';
import { NotesController } from './http/notes.controller';
import { KnowledgeBaseController } from './http/knowledge-base.controller';
import { StripeWebhookController } from './http/stripe-webhook.controller';
import { ProgressEventsController } from './http/progress-events.controller';
import { LiveProgressHub } from './live/live-progress.hub';
import { VideoChangeListener } from './read-cache/video-change-listener';
import { VIDEO_VIEW_CACHE } from './read-cache/video-view-cache';
import { RATE_LIMIT_RULES, RATE_LIMITER, RateLimitGuard, rateLimitRules } from './http/rate-limit.guard';
import { UserController } from './http/user.controller';
import { VideosController } from './http/videos.controller';
import { UsageController } from './http/usage.controller';
import { gatewayOpenApi } from './openapi/gateway-openapi';
import { OPENAPI_DOCUMENT, OpenApiController } from './openapi/openapi.controller';
import { PlaylistsController } from './http/playlists.controller';
import { ExportsController } from './http/exports.controller';
import { usersProjection } from './read-model/users.projection';
import { UsersQueries } from './read-model/users.queries';
import { LoginLimits, THROTTLE } from './sessions/login-limits';
import { ACCESS_TOKENS, SessionsService } from './sessions/sessions.service';
import { Throttle } from './sessions/throttle';

/** The signing keys, parsed once for the life of the process (config has already checked them). */
function accessTokens(env: GatewayEnv): AccessTokens {
  let pems = env.JWT_SIGNING_KEYS;
  if (!pems) {
    new Logger('Auth').warn(
      'JWT_SIGNING_KEYS is not set: using a random key, so tokens stop working when the gateway restarts',
    );
    pems = generateSigningKeyPem();
  }
  return new AccessTokens(parseSigningKeys(pems), env.ACCESS_TOKEN_TTL_SECONDS);
}

/** Every controller of the gateway: what Nest serves and what the OpenAPI document describes. */
export const GATEWAY_CONTROLLERS: Type[] = [
  HealthController,
  OpenApiController,
  JwksController,
  AuthController,
  UserController,
  VideosController,
  PlaylistsController,
  NotesController,
  KnowledgeBaseController,
  CreditsController,
  UsageController,
  StripeWebhookController,
  ExportsController,
  GatewayMsController,
  ProgressEventsController,
];

@Module({})
export class GatewayModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
  ) {}

  static forRoot(config: PlatformConfig, env: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: GATEWAY_CONTROLLERS,
      providers: [
        { provide: GATEWAY_ENV, useValue: env },
        { provide: OPENAPI_DOCUMENT, useFactory: () => gatewayOpenApi(GATEWAY_CONTROLLERS).document },
        { provide: ACCESS_TOKENS, useValue: accessTokens(env) },
        {
          provide: THROTTLE,
          inject: [PG_POOL, PLATFORM_CONFIG],
          useFactory: (pool: Pool, platform: PlatformConfig) => new Throttle(pool, platform.schema),
        },
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
        VideoChangeListener,
        { provide: VIDEO_VIEW_CACHE, inject: [VideoChangeListener], useFactory: (l: VideoChangeListener) => l.cache },
        SessionsService,
        LoginLimits,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.relay(gatewayPublications));
  }
}
