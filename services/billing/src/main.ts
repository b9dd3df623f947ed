import './tracing';
import 'reflect-metadata';
import { platformConfig, bootstrapService, startupFailed } from '@study-buddy/nest-kit';
import { BillingModule } from './app.module';
import { loadBillingEnv } from './config';
import { billingUpcasters } from './domain/account.upcasters';

async function main() {
  const env = loadBillingEnv();
  const config = platformConfig('billing', env, {
    streamPrefixes: ['account-', 'checkout-', 'stripe-event-'],
    upcasters: billingUpcasters,
  });
  await bootstrapService(BillingModule.forRoot(config, env), config, { port: env.PORT });
}

main().catch(startupFailed('billing'));
