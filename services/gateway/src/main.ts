import './tracing';
import 'reflect-metadata';
import { bootstrapService, platformConfig, startupFailed } from '@study-buddy/nest-kit';
import { GatewayModule } from './app.module';
import { gatewayUpcasters } from './domain/user.upcasters';
import { loadGatewayEnv } from './config';
import { STRIPE_WEBHOOK_ROUTE } from './http/stripe-webhook.controller';
import { registerEdgePlugins } from './http/edge-plugins';

async function main() {
  const env = loadGatewayEnv();
  const config = platformConfig('gateway', env, { streamPrefixes: ['user-'], upcasters: gatewayUpcasters });
  await bootstrapService(GatewayModule.forRoot(config, env), config, {
    port: env.PORT,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    rawBodyRoutes: [STRIPE_WEBHOOK_ROUTE],
    configureHttp: (app) => registerEdgePlugins(app, env),
  });
}

main().catch(startupFailed('gateway'));
