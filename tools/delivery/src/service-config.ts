import path from 'node:path';
import type { z } from 'zod';
import { serviceRoot, ServiceName, WORKSPACE } from './workspace';

type EnvSchema = z.ZodObject<Record<string, z.ZodType>>;

/**
 * A service's environment schema, loaded from its sources at run time. The
 * delivery checks introspect the services (which variables they read, which
 * port they listen on); they never depend on them, so this is a dynamic load
 * rather than an import across project boundaries.
 */
export function serviceEnvSchema(service: ServiceName): EnvSchema {
  const module = require(path.join(WORKSPACE, serviceRoot(service), 'src/config.ts')) as Record<string, unknown>;
  const schemas = Object.entries(module).filter(([name]) => name.endsWith('EnvSchema'));
  if (schemas.length !== 1) throw new Error(`${serviceRoot(service)}/src/config.ts must export exactly one *EnvSchema`);
  return schemas[0][1] as EnvSchema;
}

/** Every environment variable the service reads. */
export const serviceEnvNames = (service: ServiceName): string[] => Object.keys(serviceEnvSchema(service).shape).sort();

/** The port the service listens on when PORT is not set. */
export const servicePort = (service: ServiceName): number =>
  serviceEnvSchema(service).shape.PORT.parse(undefined) as number;
