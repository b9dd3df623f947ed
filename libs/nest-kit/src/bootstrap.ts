import { ConsoleLogger, DynamicModule, INestApplication, LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NatsConnection } from 'nats';
import { NATS_RECONNECT } from '@study-buddy/messaging';
import { BackgroundWorkers } from './platform/background-workers';
import { BusConnections } from './platform/bus-connections';
import { PlatformConfig } from './platform/platform-config';
import { HttpErrorFilter } from './errors/http-error.filter';
import { keepRawBody } from './raw-body';
import { echoRequestId, edgeFastifyOptions } from './http/edge';
import { observeRequests } from './http/request-observation';
import { observedNatsServer } from './rpc-observation';
import { collectProcessMetrics, JsonLogger, shutdownTracing, startMetricsServer } from '@study-buddy/observability';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * `node main.js --rebuild-projections`: replays this service's event store into
 * fresh read-model tables, switches reads to them, then exits. Safe while the service runs.
 */
async function rebuildProjections(module: Type<unknown> | DynamicModule, logger: LoggerService): Promise<void> {
  BackgroundWorkers.autoStart = false;
  const app = await NestFactory.createApplicationContext(module, { logger });
  const rebuilt = await app.get(BackgroundWorkers).rebuildProjections();
  logger.log(`rebuilt projections: ${rebuilt.join(', ') || 'none'}`);
  await app.close();
}

/**
 * SIGTERM/SIGINT: stop taking work, let in-flight messages finish (workers
 * stop first, then connections close), exit 0. If that takes longer than the
 * timeout, exit 1 and let JetStream redeliver whatever was unfinished.
 */
function exitGracefully(app: INestApplication, logger: LoggerService, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: shutting down`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      async () => {
        logger.log('shut down cleanly');
        await shutdownTracing(); // the spans still buffered
        process.exit(0);
      },
      (e: unknown) => {
        logger.error(`shutdown failed: ${String(e)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

export interface BootstrapOptions {
  port: number;
  bodyLimitBytes?: number;
  /** Routes whose handlers read the unparsed body (`request.rawBody`), e.g. a signed webhook. */
  rawBodyRoutes?: readonly string[];
  /** Service-specific HTTP setup (plugins such as security headers or CORS), before routes are registered. */
  configureHttp?: (app: NestFastifyApplication) => Promise<void>;
}

/**
 * The HTTP side of a service without listening: Fastify with the platform's edge options, JSON as
 * the only body type, the request id echoed, every error in the platform's shape. Specs use it with
 * `inject()`; `bootstrapService` adds NATS and listens.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  config: Pick<PlatformConfig, 'env'>,
  options: Omit<BootstrapOptions, 'port'> & { logger?: LoggerService | false } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter(
      edgeFastifyOptions({
        bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
        trustProxy: config.env.TRUST_PROXY,
      }),
    ),
    // Nest's own parsers would add application/x-www-form-urlencoded: a cross-site form could then post here.
    // Logs are not buffered until start-up ends: a service waiting for its object store must say so while it waits.
    { logger: options.logger ?? false, bufferLogs: false, bodyParser: false },
  );
  app.useGlobalFilters(new HttpErrorFilter());
  const fastify = app.getHttpAdapter().getInstance();
  // The API takes JSON only: a text/plain body is refused with 415 instead of reaching handlers as a string.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onRequest', echoRequestId);
  observeRequests(fastify, options.logger || undefined);
  if (options.rawBodyRoutes?.length) keepRawBody(fastify, options.rawBodyRoutes, options.bodyLimitBytes ?? 1024 * 1024);
  await options.configureHttp?.(app);
  return app;
}

/**
 * Starts one service: Fastify for HTTP (health, and the gateway's API), NATS
 * for `@MessagePattern` handlers (queue group = service, so replicas share the
 * load), shared error filters, graceful shutdown on SIGTERM/SIGINT.
 */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  config: PlatformConfig,
  options: BootstrapOptions,
): Promise<INestApplication | null> {
  const logLevels = LEVELS.slice(0, LEVELS.indexOf(config.env.LOG_LEVEL) + 1);
  const logger: LoggerService =
    config.env.LOG_FORMAT === 'json'
      ? new JsonLogger(config.service, logLevels)
      : new ConsoleLogger({ prefix: config.service, logLevels });
  if (process.argv.includes('--rebuild-projections')) {
    await rebuildProjections(module, logger);
    return null;
  }
  const app = await createHttpApp(module, config, { ...options, logger });
  const rpcTransport = app.connectMicroservice<MicroserviceOptions>(
    {
      strategy: observedNatsServer(
        {
          servers: config.env.NATS_URL.split(','),
          queue: config.service,
          name: `${config.service}-rpc`,
          // The client's default gives up after 10 attempts (about 20 s), leaving the handlers deaf for good.
          ...NATS_RECONNECT,
        },
        config.topology.namespace,
      ),
    },
    { inheritAppConfig: false },
  );
  await app.startAllMicroservices();
  // Its subscriptions are restored with the connection, so "connected" is "the handlers are listening".
  app.get(BusConnections).track('rpc_handlers', rpcTransport.unwrap<NatsConnection>());
  await app.listen(options.port, config.env.HOST);
  logger.log(`${config.service} listening on http://${config.env.HOST}:${options.port}`);
  if (config.env.METRICS_PORT > 0) {
    collectProcessMetrics(config.service);
    const metrics = await startMetricsServer(config.env.METRICS_PORT, config.env.HOST);
    logger.log(`${config.service} metrics on http://${config.env.HOST}:${metrics.port}/metrics`);
  }
  exitGracefully(app, logger, config.env.SHUTDOWN_TIMEOUT_MS);
  return app;
}

/**
 * A service's `main().catch(…)`: the reason it could not start (an invalid setting, a dependency that never
 * came up), in the log format the deployment reads, then exit 1 so the orchestrator restarts it.
 */
export function startupFailed(service: string): (e: unknown) => never {
  return (e) => {
    const message = e instanceof Error ? e.message : String(e);
    // the configuration may be what failed: LOG_FORMAT is read as given, through the services' own JSON logger
    if (process.env.LOG_FORMAT === 'json') new JsonLogger(service, ['fatal']).fatal(message);
    else console.error(message);
    process.exit(1);
  };
}
