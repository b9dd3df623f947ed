import { ConsoleLogger, DynamicModule, INestApplication, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { BackgroundWorkers } from './platform/background-workers';
import { PlatformConfig } from './platform/platform-config';
import { HttpErrorFilter } from './errors/http-error.filter';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * `node main.js --rebuild-projections`: empties this service's read models and
 * replays its event store into them, then exits. Safe while the service runs.
 */
async function rebuildProjections(module: Type<unknown> | DynamicModule, logger: ConsoleLogger): Promise<void> {
  BackgroundWorkers.autoStart = false;
  const app = await NestFactory.createApplicationContext(module, { logger });
  const rebuilt = await app.get(BackgroundWorkers).rebuildProjections();
  logger.log(`rebuilt projections: ${rebuilt.join(', ') || 'none'}`);
  await app.close();
}

export interface BootstrapOptions {
  port: number;
  bodyLimitBytes?: number;
}

/**
 * Starts one service: Fastify for HTTP (health, and the gateway's API), NATS
 * for `@MessagePattern` handlers (queue group = service, so replicas share the
 * load), shared error filters, graceful shutdown on SIGTERM/SIGINT.
 */
export async function bootstrapService(module: Type<unknown> | DynamicModule, config: PlatformConfig, options: BootstrapOptions): Promise<INestApplication | null> {
  const logger = new ConsoleLogger({
    prefix: config.service,
    json: config.env.LOG_FORMAT === 'json',
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.env.LOG_LEVEL) + 1),
  });
  if (process.argv.includes('--rebuild-projections')) {
    await rebuildProjections(module, logger);
    return null;
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, trustProxy: config.env.TRUST_PROXY }),
    { logger, bufferLogs: true },
  );
  app.useGlobalFilters(new HttpErrorFilter());
  // The API takes JSON only: a text/plain body is refused with 415 instead of reaching handlers as a string.
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain']);
  app.connectMicroservice<MicroserviceOptions>(
    { transport: Transport.NATS, options: { servers: config.env.NATS_URL.split(','), queue: config.service, name: `${config.service}-rpc` } },
    { inheritAppConfig: false },
  );
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.startAllMicroservices();
  await app.listen(options.port, config.env.HOST);
  logger.log(`${config.service} listening on http://${config.env.HOST}:${options.port}`);
  return app;
}
