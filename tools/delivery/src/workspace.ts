import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES, ServiceName } from '@study-buddy/contracts';

/** Paths the delivery checks read; everything is relative to the repository root. */
export const WORKSPACE = path.resolve(__dirname, '../../..');
export const CHART_DIR = path.join(WORKSPACE, 'charts/study-buddy');
export const SKAFFOLD_FILE = path.join(WORKSPACE, 'skaffold.yaml');
export const DEV_VALUES_FILE = path.join(WORKSPACE, 'k8s/values-dev.yaml');

export { SERVICES };
export type { ServiceName };

export const serviceRoot = (service: ServiceName) => `services/${service}`;
export const dockerfilePath = (service: ServiceName) => `${serviceRoot(service)}/Dockerfile`;

/** The `@study-buddy/*` aliases from tsconfig.base.json, mapped to the project root each one points into. */
export function aliasRoots(): Map<string, string> {
  const { compilerOptions } = JSON.parse(readFileSync(path.join(WORKSPACE, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return new Map(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, target.split('/').slice(0, 2).join('/')]),
  );
}
