import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { durableName, subscription } from '@study-buddy/contracts';
import { ensureHelm } from './helm';
import { Manifest, named } from './manifests';
import { render } from './rendered-chart';
import { serviceEnvNames, serviceEnvSchema, servicePort } from './service-config';
import { SERVICES, serviceRoot, WORKSPACE } from './workspace';

beforeAll(ensureHelm);

/** Stand-ins for values that live in Secrets, shaped like the real ones. */
const SECRET_STAND_INS: Record<string, string> = {
  DATABASE_URL: 'postgres://study_buddy:password@postgresql:5432/study_buddy',
  EVENTSTORE_CONNECTION_STRING: 'esdb://eventstoredb:2113?tls=false',
  JWT_SIGNING_KEYS: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
};

/** The environment a service's container starts with, as Kubernetes assembles it. */
function containerEnvironment(manifests: Manifest[], service: string): Record<string, string> {
  const [container] = named(manifests, 'Deployment', `study-buddy-${service}`).spec.template.spec.containers;
  const environment: Record<string, string> = {};
  for (const source of container.envFrom)
    Object.assign(environment, named(manifests, 'ConfigMap', source.configMapRef.name).data);
  for (const variable of container.env)
    environment[variable.name] = variable.value ?? SECRET_STAND_INS[variable.name] ?? 'from-a-secret';
  return environment;
}

describe.each([
  ['kind', ['k8s/values-dev.yaml']],
  ['production', ['k8s/values-production.yaml']],
])('the %s install, against the services’ code', (_, valueFiles) => {
  const manifests = () => render({ valueFiles });

  it.each([...SERVICES])('sets only variables %s reads', (service) => {
    const known = new Set(serviceEnvNames(service));
    expect(Object.keys(containerEnvironment(manifests(), service)).filter((name) => !known.has(name))).toEqual([]);
  });

  it.each([...SERVICES])('gives %s a configuration its own schema accepts in production', (service) => {
    const environment = Object.fromEntries(
      Object.entries(containerEnvironment(manifests(), service)).filter(([, value]) => value !== ''),
    );
    expect(environment.NODE_ENV).toBe('production');
    const parsed = serviceEnvSchema(service).safeParse(environment);
    expect(parsed.success ? 'valid' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toBe(
      'valid',
    );
  });
});

describe('ports, probes and object storage, against the services’ code', () => {
  const manifests = () => render({ valueFiles: ['k8s/values-dev.yaml'] });

  it.each([...SERVICES])('%s listens, is probed and is exposed on the port its code defaults to', (service) => {
    const deployment = named(manifests(), 'Deployment', `study-buddy-${service}`);
    const [container] = deployment.spec.template.spec.containers;
    const port = servicePort(service);
    expect(container.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    expect(containerEnvironment(manifests(), service).PORT).toBe(String(port));
    expect(container.livenessProbe.httpGet.port).toBe('http');
    expect(named(manifests(), 'Service', `study-buddy-${service}`).spec.ports).toEqual([
      { name: 'http', port, targetPort: 'http', protocol: 'TCP' },
    ]);
  });

  it.each([...SERVICES])('lets %s wait out its dependencies before the startup probe gives up on it', (service) => {
    const [container] = named(manifests(), 'Deployment', `study-buddy-${service}`).spec.template.spec.containers;
    const { periodSeconds, failureThreshold } = container.startupProbe;
    const { STARTUP_TIMEOUT_MS } = serviceEnvSchema(service).parse(containerEnvironment(manifests(), service)) as {
      STARTUP_TIMEOUT_MS: number;
    };
    expect(periodSeconds * failureThreshold * 1000).toBeGreaterThan(STARTUP_TIMEOUT_MS + 15_000);
  });

  it('probes the routes the health controller serves', () => {
    const { HealthController } = require(path.join(WORKSPACE, 'libs/nest-kit/src/health/health.controller.ts'));
    const route = (method: string) => Reflect.getMetadata('path', HealthController.prototype[method]);
    const [container] = named(manifests(), 'Deployment', 'study-buddy-gateway').spec.template.spec.containers;
    expect(`/${route('healthz')}`).toBe(container.livenessProbe.httpGet.path);
    expect(`/${route('healthz')}`).toBe(container.startupProbe.httpGet.path);
    expect(`/${route('readyz')}`).toBe(container.readinessProbe.httpGet.path);
  });

  it('gives object-storage credentials to exactly the services that open the blob store', () => {
    for (const service of SERVICES) {
      // main.ts declares it: platformConfig(..., { usesBlobStore: true })
      const usesBlobStore = readFileSync(path.join(WORKSPACE, serviceRoot(service), 'src/main.ts'), 'utf8').includes(
        'usesBlobStore: true',
      );
      const environment = containerEnvironment(manifests(), service);
      expect([service, 'S3_ACCESS_KEY' in environment, 'S3_SECRET_KEY' in environment]).toEqual([
        service,
        usesBlobStore,
        usesBlobStore,
      ]);
    }
  });

  it('leaves the processor time to finish its video before it is killed', () => {
    const environment = containerEnvironment(manifests(), 'processor');
    const grace = named(manifests(), 'Deployment', 'study-buddy-processor').spec.template.spec
      .terminationGracePeriodSeconds;
    // the service gives up draining before Kubernetes kills it, and an unfinished job comes back after JOB_ACK_WAIT_MS
    expect(Number(environment.SHUTDOWN_TIMEOUT_MS)).toBeLessThan(grace * 1000);
    expect(Number(environment.SHUTDOWN_TIMEOUT_MS)).toBeGreaterThanOrEqual(60_000);
    expect(Number(environment.JOB_ACK_WAIT_MS)).toBeGreaterThanOrEqual(Number(environment.SHUTDOWN_TIMEOUT_MS));
  });

  it('scales the processor on the durable consumer it actually reads', () => {
    const scaled = named(
      render({ valueFiles: ['k8s/values-dev.yaml', 'charts/study-buddy/ci/keda-values.yaml'] }),
      'ScaledObject',
      'study-buddy-processor',
    );
    const [trigger] = scaled.spec.triggers;
    const moduleSource = readFileSync(
      path.join(WORKSPACE, 'services/processor/src/job-concurrency.ts'),
      'utf8',
    ) as string;
    // The processor names its logical consumer (jobConsumer); each handled type is read by its own JetStream durable.
    const sources = [...moduleSource.matchAll(/subscription\('processor', '(\w+)'\)/g)].map((m) => m[1]);
    const durables = sources.flatMap((source) => {
      const read = subscription('processor', source as 'videos');
      return read.types.map((type) => durableName(read.name, type));
    });
    // The submissions' durable carries the work; the cancellations' (VideoCancelled) is cheap to drain.
    expect(durables).toContain(trigger.metadata.consumer);
    expect(trigger.metadata.consumer).toBe(durableName(subscription('processor', 'videos').name, 'VideoSubmitted'));
    expect(trigger.metadata.stream).toBe(containerEnvironment(manifests(), 'processor').EVENTS_STREAM);
    expect(trigger.metadata.natsServerMonitoringEndpoint).toBe('study-buddy-nats.study-buddy.svc:8222');
  });

  it('hands the claude.* values to the processor in the shape its schema reads', () => {
    const environment = containerEnvironment(
      render({ valueFiles: ['k8s/values-dev.yaml', 'charts/study-buddy/ci/claude-values.yaml'] }),
      'processor',
    );
    const parsed = serviceEnvSchema('processor').parse(environment) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      NOTE_WRITER: 'offline',
      ANTHROPIC_MODEL: 'claude-opus-5-5',
      ANTHROPIC_PRICES: { 'claude-opus-5-5': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 } },
    });
  });
});
