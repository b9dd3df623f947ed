import { createPrivateKey } from 'node:crypto';
import { ensureHelm } from './helm';
import { Manifest, named, ofKind, podSpecs, selects } from './manifests';
import { allowsConnection, allowsOpenEgress } from './network-policies';
import { existingSecrets, render } from './rendered-chart';
import { VALUE_SETS } from './value-sets';
import { SERVICES } from './workspace';

beforeAll(ensureHelm);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Container = Record<string, any>;
const containersOf = (manifests: Manifest[]) =>
  podSpecs(manifests).flatMap(({ owner, spec }) =>
    [...(spec.initContainers ?? []), ...spec.containers].map((c: Container) => ({ owner, c })),
  );

describe.each(Object.entries(VALUE_SETS))('the chart with %s', (_, valueFiles) => {
  const manifests = () => render({ valueFiles });

  it('runs every pod as a fixed non-root user with the runtime seccomp profile and no service-account token', () => {
    for (const { owner, spec } of podSpecs(manifests())) {
      expect({ owner, ...spec.securityContext }).toMatchObject({
        owner,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      expect({ owner, automount: spec.automountServiceAccountToken }).toEqual({ owner, automount: false });
    }
  });

  it('hardens every container: no privilege escalation, read-only root, all capabilities dropped, requests and limits', () => {
    for (const { owner, c } of containersOf(manifests())) {
      const where = `${owner} ${c.name}`;
      expect({ where, ...c.securityContext }).toMatchObject({
        where,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
      for (const kind of ['requests', 'limits']) {
        expect({ where, kind, cpu: !!c.resources?.[kind]?.cpu, memory: !!c.resources?.[kind]?.memory }).toEqual({
          where,
          kind,
          cpu: true,
          memory: true,
        });
      }
      expect(c.image).toMatch(/^[^:]+(:[^:]+)?:(?!latest$)[\w.@:-]+$/);
    }
  });

  it('meets the restricted Pod Security Standard: no host namespaces, ports or paths, only the allowed volume types', () => {
    const allowedVolumes = new Set([
      'configMap',
      'csi',
      'downwardAPI',
      'emptyDir',
      'ephemeral',
      'persistentVolumeClaim',
      'projected',
      'secret',
    ]);
    for (const { owner, spec } of podSpecs(manifests())) {
      expect({ owner, hostNetwork: spec.hostNetwork, hostPID: spec.hostPID, hostIPC: spec.hostIPC }).toEqual({
        owner,
        hostNetwork: undefined,
        hostPID: undefined,
        hostIPC: undefined,
      });
      for (const volume of spec.volumes ?? []) {
        const types = Object.keys(volume).filter((key) => key !== 'name');
        expect({ owner, volume: volume.name, allowed: types.every((type) => allowedVolumes.has(type)) }).toEqual({
          owner,
          volume: volume.name,
          allowed: true,
        });
      }
    }
    for (const { owner, c } of containersOf(manifests())) {
      for (const port of c.ports ?? [])
        expect({ owner, hostPort: port.hostPort }).toEqual({ owner, hostPort: undefined });
      expect(c.securityContext.capabilities.add).toBeUndefined();
    }
  });

  it('gives every long-running container startup, liveness and readiness probes, and every service a preStop pause', () => {
    const workloads = manifests().filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');
    expect(
      ofKind(workloads, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(SERVICES.map((s) => `study-buddy-${s}`).sort());
    for (const { owner, c } of containersOf(workloads)) {
      expect({ owner, probes: [!!c.startupProbe, !!c.livenessProbe, !!c.readinessProbe] }).toEqual({
        owner,
        probes: [true, true, true],
      });
    }
    for (const deployment of ofKind(workloads, 'Deployment')) {
      const [container] = deployment.spec.template.spec.containers;
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
      const pause = Number(container.lifecycle.preStop.exec.command[1]);
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(pause + 10);
    }
  });

  it('writes no secret value anywhere but in Secrets', () => {
    const secretEntries = ofKind(manifests(), 'Secret').flatMap((secret) => [
      ...Object.entries<string>(secret.data ?? {}).map(([key, v]) => [
        `${secret.metadata.name}/${key}`,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
      ...Object.entries<string>(secret.stringData ?? {}).map(([key, v]) => [`${secret.metadata.name}/${key}`, v]),
    ]);
    const elsewhere = JSON.stringify(manifests().filter((m) => m.kind !== 'Secret'));
    const leaked = secretEntries
      .filter(([, value]) => value.length >= 8 && elsewhere.includes(value))
      .map(([where]) => where);
    expect(leaked).toEqual([]);
  });

  it('references only ConfigMaps, Secrets and ServiceAccounts that are rendered or named in the values as existing', () => {
    const rendered = (kind: string) => new Set(ofKind(manifests(), kind).map((m) => m.metadata.name));
    const configMaps = rendered('ConfigMap');
    const secrets = new Set([...rendered('Secret'), ...existingSecrets(valueFiles)]);
    const accounts = rendered('ServiceAccount');
    for (const { owner, spec } of podSpecs(manifests())) {
      if (spec.serviceAccountName)
        expect({ owner, account: accounts.has(spec.serviceAccountName) }).toEqual({ owner, account: true });
      for (const volume of spec.volumes ?? [])
        if (volume.configMap)
          expect({ owner, volume: configMaps.has(volume.configMap.name) }).toEqual({ owner, volume: true });
      for (const c of spec.containers as Container[]) {
        for (const source of c.envFrom ?? [])
          expect({ owner, source: configMaps.has(source.configMapRef?.name) }).toEqual({ owner, source: true });
        for (const env of c.env ?? []) {
          const ref = env.valueFrom?.secretKeyRef;
          if (ref)
            expect({ owner, env: env.name, secret: secrets.has(ref.name) }).toEqual({
              owner,
              env: env.name,
              secret: true,
            });
        }
      }
    }
  });

  it('has every Service, PodDisruptionBudget and autoscaler point at pods that exist', () => {
    const pods = podSpecs(manifests()).filter((p) => !p.owner.startsWith('Pod/'));
    for (const service of ofKind(manifests(), 'Service')) {
      const targets = pods.filter((p) => selects(service.spec.selector, p.labels));
      expect({ service: service.metadata.name, targets: targets.length }).toEqual({
        service: service.metadata.name,
        targets: 1,
      });
      const portNames = targets[0].spec.containers.flatMap((c: Container) => c.ports.map((p: Container) => p.name));
      for (const port of service.spec.ports) expect(portNames).toContain(port.targetPort);
    }
    for (const pdb of ofKind(manifests(), 'PodDisruptionBudget'))
      expect(pods.filter((p) => selects(pdb.spec.selector.matchLabels, p.labels))).toHaveLength(1);
    const deployments = ofKind(manifests(), 'Deployment');
    for (const scaler of [...ofKind(manifests(), 'HorizontalPodAutoscaler'), ...ofKind(manifests(), 'ScaledObject')]) {
      const target = named(deployments, 'Deployment', scaler.spec.scaleTargetRef.name);
      // the autoscaler owns the replica count: a fixed one would fight it on every upgrade
      expect({ target: target.metadata.name, replicas: target.spec.replicas }).toEqual({
        target: target.metadata.name,
        replicas: undefined,
      });
    }
  });
});

describe('the generated signing key', () => {
  it('is an Ed25519 private key in PKCS#8 PEM, as JWT_SIGNING_KEYS needs', () => {
    const [secret] = ofKind(render({ valueFiles: ['k8s/values-dev.yaml'] }), 'Secret').filter(
      (s) => s.data?.JWT_SIGNING_KEYS,
    );
    const pem = Buffer.from(secret.data.JWT_SIGNING_KEYS, 'base64').toString();
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPrivateKey(pem).asymmetricKeyType).toBe('ed25519');
  });
});

describe('secrets given in the values', () => {
  const given = {
    'secrets.jwtSigningKeys': '-----BEGIN PRIVATE KEY-----given-in-values-----END PRIVATE KEY-----',
    'secrets.anthropicApiKey': 'sk-ant-api03-given-in-values',
    'secrets.stripeSecretKey': 'sk_test_given_in_values',
    'secrets.stripeWebhookSecret': 'whsec_given_in_values',
    'postgresql.password': 'pg-password-given-in-values',
    'objectStore.minio.rootUser': 'minio-user-given',
    'objectStore.minio.rootPassword': 'minio-password-given-in-values',
  };
  const manifests = () => render({ valueFiles: ['k8s/values-dev.yaml'], set: given });

  it('end up in Secrets and nowhere else', () => {
    const inSecrets = JSON.stringify(
      ofKind(manifests(), 'Secret').map((s) =>
        Object.values<string>(s.data).map((v) => Buffer.from(v, 'base64').toString()),
      ),
    );
    const elsewhere = JSON.stringify(manifests().filter((m) => m.kind !== 'Secret'));
    for (const [key, value] of Object.entries(given))
      expect([key, inSecrets.includes(value), elsewhere.includes(value)]).toEqual([key, true, false]);
  });

  it('reach only the services that use them, by reference', () => {
    const secretEnv = (service: string) =>
      named(manifests(), 'Deployment', `study-buddy-${service}`)
        .spec.template.spec.containers[0].env.filter((e: Container) => e.valueFrom?.secretKeyRef)
        .map((e: Container) => e.name)
        .sort();
    expect(secretEnv('gateway')).toEqual(['DATABASE_URL', 'JWT_SIGNING_KEYS']);
    expect(secretEnv('processor')).toEqual(['ANTHROPIC_API_KEY', 'DATABASE_URL', 'S3_ACCESS_KEY', 'S3_SECRET_KEY']);
    expect(secretEnv('billing')).toEqual(['DATABASE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
    expect(secretEnv('videos')).toEqual(['DATABASE_URL', 'S3_ACCESS_KEY', 'S3_SECRET_KEY']);
  });
});

describe('network policies', () => {
  const pod = (component: string) => ({
    'app.kubernetes.io/name': 'study-buddy',
    'app.kubernetes.io/instance': 'study-buddy',
    'app.kubernetes.io/component': component,
  });
  const ports: Record<string, number> = {
    gateway: 8080,
    videos: 8081,
    processor: 8082,
    notes: 8083,
    billing: 8084,
    nats: 4222,
    postgresql: 5432,
    minio: 9000,
    eventstoredb: 2113,
  };
  const can = (policies: Manifest[], from: string, to: string, port = ports[to]) =>
    allowsConnection(policies, pod(from), pod(to), port);

  describe('with the in-cluster infrastructure (kind)', () => {
    const policies = () => ofKind(render({ valueFiles: ['k8s/values-dev.yaml'] }), 'NetworkPolicy');

    it('lets every service reach NATS, PostgreSQL and EventStoreDB, and only the note-handling services reach MinIO', () => {
      for (const service of SERVICES) {
        for (const store of ['nats', 'postgresql', 'eventstoredb'])
          expect([service, store, can(policies(), service, store)]).toEqual([service, store, true]);
        expect([service, 'minio', can(policies(), service, 'minio')]).toEqual([
          service,
          'minio',
          ['videos', 'processor', 'notes'].includes(service),
        ]);
      }
    });

    it('keeps the services from calling each other over HTTP: they talk over NATS', () => {
      for (const from of SERVICES)
        for (const to of SERVICES)
          if (from !== to) expect([from, to, can(policies(), from, to)]).toEqual([from, to, false]);
    });

    it('keeps the infrastructure from initiating connections, and the outside world from reaching anything but the gateway', () => {
      for (const store of ['nats', 'postgresql', 'eventstoredb', 'minio']) {
        for (const to of [...SERVICES, 'postgresql', 'nats'])
          if (to !== store) expect([store, to, can(policies(), store, to)]).toEqual([store, to, false]);
      }
      const outsider = { app: 'somebody-else' };
      expect(allowsConnection(policies(), outsider, pod('gateway'), 8080)).toBe(true);
      for (const target of ['videos', 'nats', 'postgresql', 'minio', 'eventstoredb'])
        expect([target, allowsConnection(policies(), outsider, pod(target), ports[target])]).toEqual([target, false]);
    });

    it('lets only the processor (YouTube, Anthropic), videos (YouTube) and billing (Stripe) out to the internet', () => {
      for (const service of SERVICES)
        expect([service, allowsOpenEgress(policies(), pod(service), 443)]).toEqual([
          service,
          ['processor', 'videos', 'billing'].includes(service),
        ]);
    });

    it('lets the helm test pods reach every service', () => {
      for (const service of SERVICES) expect([service, can(policies(), 'helm-test', service)]).toEqual([service, true]);
    });
  });

  it('admits only the ingress controller to the gateway when gatewayFrom is set', () => {
    const policies = ofKind(
      render({ valueFiles: ['charts/study-buddy/ci/network-ingress-values.yaml'] }),
      'NetworkPolicy',
    );
    expect(allowsConnection(policies, { app: 'somebody-else' }, pod('gateway'), 8080)).toBe(false);
    const gatewayPolicy = named(policies, 'NetworkPolicy', 'study-buddy-gateway');
    expect(gatewayPolicy.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'ingress-nginx',
    });
  });

  it('opens the external stores by port when they are outside the cluster', () => {
    const policies = ofKind(render({ valueFiles: ['k8s/values-production.yaml'] }), 'NetworkPolicy');
    for (const [port, users] of [
      [4222, SERVICES],
      [5432, SERVICES],
      [2113, SERVICES],
    ] as const) {
      for (const service of users)
        expect([service, port, allowsOpenEgress(policies, pod(service), port)]).toEqual([service, port, true]);
    }
    expect(allowsOpenEgress(policies, pod('gateway'), 443)).toBe(false);
    expect(allowsOpenEgress(policies, pod('notes'), 443)).toBe(true);
  });

  it('lets only the processor and videos out to the YouTube proxy, and only when one is configured', () => {
    const proxied = render({
      valueFiles: ['k8s/values-dev.yaml'],
      set: {
        'youtube.proxy.enabled': 'true',
        'youtube.proxy.port': '8888',
        'secrets.youtubeProxyUrl': 'http://u:p@proxy.example:8888',
      },
    });
    const policies = ofKind(proxied, 'NetworkPolicy');
    for (const service of SERVICES)
      expect([service, allowsOpenEgress(policies, pod(service), 8888)]).toEqual([
        service,
        ['processor', 'videos'].includes(service),
      ]);
    // proxied, videos has no other way out to YouTube
    expect(allowsOpenEgress(policies, pod('videos'), 443)).toBe(false);
    const plain = ofKind(render({ valueFiles: ['k8s/values-dev.yaml'] }), 'NetworkPolicy');
    expect(allowsOpenEgress(plain, pod('processor'), 8888)).toBe(false);
    // the proxy URL (it may carry credentials) reaches the processor from the Secret, the client order from its ConfigMap
    const processor = named(proxied, 'Deployment', 'study-buddy-processor').spec.template.spec.containers[0];
    expect(processor.env.find((e: Container) => e.name === 'YOUTUBE_PROXY_URL').valueFrom.secretKeyRef).toMatchObject({
      key: 'YOUTUBE_PROXY_URL',
    });
    for (const service of ['processor', 'videos']) {
      const container = named(proxied, 'Deployment', `study-buddy-${service}`).spec.template.spec.containers[0];
      expect(container.env.find((e: Container) => e.name === 'YOUTUBE_PROXY_URL').valueFrom.secretKeyRef).toMatchObject(
        { key: 'YOUTUBE_PROXY_URL' },
      );
      expect(named(proxied, 'ConfigMap', `study-buddy-${service}`).data).toMatchObject({
        YOUTUBE_CLIENTS: 'ANDROID_VR,IOS,ANDROID',
        YOUTUBE_TIMEOUT_MS: '15000',
      });
    }
  });

  it('lets KEDA read the NATS monitoring port only when the processor is scaled by KEDA', () => {
    const keda = { 'kubernetes.io/metadata.name': 'keda' };
    const natsIngressFromKeda = (valueFiles: string[]) =>
      ofKind(render({ valueFiles }), 'NetworkPolicy')
        .filter((p) => p.metadata.name === 'study-buddy-nats')
        .flatMap((p) => p.spec.ingress)
        .some(
          (rule) =>
            rule.ports.some((p: { port: number }) => p.port === 8222) &&
            rule.from.some(
              (peer: { namespaceSelector?: { matchLabels: object } }) =>
                JSON.stringify(peer.namespaceSelector?.matchLabels) === JSON.stringify(keda),
            ),
        );
    expect(natsIngressFromKeda(['k8s/values-dev.yaml'])).toBe(false);
    expect(natsIngressFromKeda(['k8s/values-dev.yaml', 'charts/study-buddy/ci/keda-values.yaml'])).toBe(true);
  });
});
