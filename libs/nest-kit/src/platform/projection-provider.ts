import { Provider } from '@nestjs/common';
import { PostgresProjection, Projector } from '@study-buddy/event-store';
import { BackgroundWorkers } from './background-workers';
import { Platform } from './platform.service';

/**
 * Provides a read model's projector under `token` (for services that wait on it
 * for read-your-writes) and registers it to run with the service's workers.
 */
export function projectionProvider(token: symbol, build: () => PostgresProjection): Provider<Projector> {
  return {
    provide: token,
    inject: [Platform, BackgroundWorkers],
    useFactory: (platform: Platform, workers: BackgroundWorkers) => {
      const worker = platform.projector(build());
      workers.register(worker);
      return worker.projector;
    },
  };
}
