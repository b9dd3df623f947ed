import './tracing';
import 'reflect-metadata';
import { bootstrapService, platformConfig, startupFailed } from '@study-buddy/nest-kit';
import { GatewayModule } from './app.module';
import { gatewayUpcasters } from './domain/user.upcasters';
import { loadGatewayEnv } from './config';
import { STRIPE_WEBHOOK_ROUTE } from './http/stripe-webhook.controller';
import { registerEdgePlugins } from './http/edge-plugins';
import { apiSegments, registerWebApp } from './http/web-app';
import { OPENAPI_DOCUMENT } from './openapi/openapi.controller';

async function main() {
  const env = loadGatewayEnv();
  const config = platformConfig('gateway', env, { streamPrefixes: ['user-'], upcasters: gatewayUpcasters });
  await bootstrapService(GatewayModule.forRoot(config, env), config, {
    port: env.PORT,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    rawBodyRoutes: [STRIPE_WEBHOOK_ROUTE],
    configureHttp: async (app) => {
      await registerEdgePlugins(app, env);
      await registerWebApp(app, { directory: env.WEB_APP_DIR, reserved: apiSegments(app.get(OPENAPI_DOCUMENT)) });
    },
  });
}

main().catch(startupFailed('gateway'));
