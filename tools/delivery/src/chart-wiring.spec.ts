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
  ['traced production', ['k8s/values-production.yaml', 'charts/study-buddy/ci/observability-values.yaml']],
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
    // the metrics port is the one the service reads from METRICS_PORT (0, its default, would serve none)
    const { METRICS_PORT } = serviceEnvSchema(service).parse(containerEnvironment(manifests(), service)) as {
      METRICS_PORT: number;
    };
    expect(METRICS_PORT).toBe(9464);
    expect(container.ports).toEqual([
      { name: 'http', containerPort: port, protocol: 'TCP' },
      { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
    ]);
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

  it('leaves a Claude call in flight time to end before shutdown hands the processor’s jobs back', () => {
    const environment = containerEnvironment(manifests(), 'processor');
    const grace = named(manifests(), 'Deployment', 'study-buddy-processor').spec.template.spec
      .terminationGracePeriodSeconds;
    const env = serviceEnvSchema('processor').parse(environment) as {
      SHUTDOWN_TIMEOUT_MS: number;
      ANTHROPIC_TIMEOUT_MS: number;
      JOB_CONCURRENCY: number;
    };
    // the service gives up draining before Kubernetes kills it; what is unfinished then is handed back (nak)
    expect(env.SHUTDOWN_TIMEOUT_MS).toBeLessThan(grace * 1000);
    const { jobDrainTimeoutMs } = require(path.join(WORKSPACE, 'services/processor/src/job-concurrency.ts'));
    expect(jobDrainTimeoutMs(env)).toBeGreaterThanOrEqual(env.ANTHROPIC_TIMEOUT_MS);
    expect(env.JOB_CONCURRENCY).toBe(4);
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
    // KEDA's lag is waiting plus in-progress videos: one replica per JOB_CONCURRENCY of them
    const environment = containerEnvironment(
      render({ valueFiles: ['k8s/values-dev.yaml', 'charts/study-buddy/ci/keda-values.yaml'] }),
      'processor',
    );
    expect(environment.JOB_CONCURRENCY).toBe('8');
    expect(trigger.metadata.lagThreshold).toBe(environment.JOB_CONCURRENCY);
    // every replica KEDA may start can fill its slots under the durable's cap on unacknowledged jobs
    const { JOBS_IN_FLIGHT_CAP } = require(path.join(WORKSPACE, 'services/processor/src/job-concurrency.ts'));
    const schema = JSON.parse(readFileSync(path.join(WORKSPACE, 'charts/study-buddy/values.schema.json'), 'utf8'));
    const { processor } = schema.definitions;
    expect(
      processor.properties.keda.properties.maxReplicas.maximum * processor.properties.jobConcurrency.maximum,
    ).toBeLessThanOrEqual(JOBS_IN_FLIGHT_CAP);
    expect(scaled.spec.maxReplicaCount * Number(environment.JOB_CONCURRENCY)).toBeLessThanOrEqual(JOBS_IN_FLIGHT_CAP);
    const explicit = named(
      render({
        valueFiles: ['k8s/values-dev.yaml', 'charts/study-buddy/ci/keda-values.yaml'],
        set: { 'services.processor.keda.lagThreshold': '3' },
      }),
      'ScaledObject',
      'study-buddy-processor',
    );
    expect(explicit.spec.triggers[0].metadata.lagThreshold).toBe('3');
    expect(trigger.metadata.natsServerMonitoringEndpoint).toBe('study-buddy-nats.study-buddy.svc:8222');
  });

  it('places a service by its own scheduling where it sets one, and the others by the shared one', () => {
    const manifests = render({
      valueFiles: ['k8s/values-dev.yaml'],
      set: {
        'scheduling.nodeSelector.pool': 'general',
        'services.processor.scheduling.nodeSelector.pool': 'pipeline',
        'services.processor.scheduling.tolerations[0].key': 'pipeline',
        'services.processor.scheduling.tolerations[0].effect': 'NoSchedule',
      },
    });
    const placement = (name: string) => {
      const pod = named(manifests, 'Deployment', `study-buddy-${name}`).spec.template.spec;
      return { nodeSelector: pod.nodeSelector, tolerations: pod.tolerations };
    };
    expect(placement('processor')).toEqual({
      nodeSelector: { pool: 'pipeline' },
      tolerations: [{ key: 'pipeline', effect: 'NoSchedule' }],
    });
    for (const name of ['gateway', 'videos', 'notes', 'billing'])
      expect(placement(name)).toEqual({ nodeSelector: { pool: 'general' }, tolerations: undefined });
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
