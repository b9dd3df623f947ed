import { ensureHelm } from './helm';
import { Manifest, named, ofKind, selects } from './manifests';
import { admittedPeers, allowsConnection, allowsOpenEgress } from './network-policies';
import { render } from './rendered-chart';
import { SERVICES } from './workspace';

beforeAll(ensureHelm);

const OBSERVABILITY = ['k8s/values-production.yaml', 'charts/study-buddy/ci/observability-values.yaml'];
const pod = (component: string) => ({
  'app.kubernetes.io/name': 'study-buddy',
  'app.kubernetes.io/instance': 'study-buddy',
  'app.kubernetes.io/component': component,
});
const deployment = (manifests: Manifest[], service: string) =>
  named(manifests, 'Deployment', `study-buddy-${service}`).spec.template;

describe('the metrics port', () => {
  it.each([
    ['chart defaults', []],
    ['the observability values', OBSERVABILITY],
  ])('is METRICS_PORT and a `metrics` container port of every service, with %s', (_, valueFiles) => {
    const manifests = render({ valueFiles });
    expect(named(manifests, 'ConfigMap', 'study-buddy-config').data.METRICS_PORT).toBe('9464');
    for (const service of SERVICES) {
      const [container] = deployment(manifests, service).spec.containers;
      expect([service, container.ports.find((p: { name: string }) => p.name === 'metrics')]).toEqual([
        service,
        { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
      ]);
    }
  });

  it('is announced by prometheus.io annotations unless they are turned off', () => {
    for (const service of SERVICES) {
      expect(deployment(render(), service).metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9464',
        'prometheus.io/path': '/metrics',
      });
      expect(Object.keys(deployment(render({ valueFiles: OBSERVABILITY }), service).metadata.annotations)).toEqual([
        'checksum/config',
      ]);
    }
  });

  it('is left out everywhere when metrics are disabled', () => {
    const manifests = render({ set: { 'metrics.enabled': 'false' } });
    expect(named(manifests, 'ConfigMap', 'study-buddy-config').data.METRICS_PORT).toBeUndefined();
    for (const service of SERVICES) {
      const template = deployment(manifests, service);
      expect(template.spec.containers[0].ports.map((p: { name: string }) => p.name)).toEqual(['http']);
      expect(template.metadata.annotations['prometheus.io/scrape']).toBeUndefined();
    }
    const policies = ofKind(manifests, 'NetworkPolicy');
    expect(admittedPeers(policies, 'Ingress', pod('gateway'), 9464)).toEqual([]);
  });
});

describe('the ServiceMonitor', () => {
  it('is off by default, and then no Service exposes the metrics port', () => {
    const manifests = render();
    expect(ofKind(manifests, 'ServiceMonitor')).toEqual([]);
    const servicePorts = ofKind(manifests, 'Service').flatMap((service) =>
      service.spec.ports.map((p: { name: string; port: number }) => `${service.metadata.name}:${p.name}/${p.port}`),
    );
    expect(servicePorts.filter((port) => port.includes('metrics') || port.endsWith('/9464'))).toEqual([]);
  });

  it("selects the five services' Services, on their metrics port, with the labels and interval given", () => {
    const manifests = render({ valueFiles: OBSERVABILITY });
    const [monitor] = ofKind(manifests, 'ServiceMonitor');
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(monitor.spec.endpoints).toEqual([
      { port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '10s', honorLabels: true },
    ]);
    const [components] = monitor.spec.selector.matchExpressions;
    const selected = ofKind(manifests, 'Service').filter(
      (s) =>
        selects(monitor.spec.selector.matchLabels, s.metadata.labels ?? {}) &&
        components.values.includes(s.metadata.labels?.['app.kubernetes.io/component']),
    );
    expect(selected.map((s) => s.metadata.name).sort()).toEqual(SERVICES.map((s) => `study-buddy-${s}`).sort());
    for (const service of selected)
      expect(service.spec.ports).toContainEqual({
        name: 'metrics',
        port: 9464,
        targetPort: 'metrics',
        protocol: 'TCP',
      });
  });
});

describe('who reaches the metrics port', () => {
  const policies = (valueFiles: string[] = []) => ofKind(render({ valueFiles }), 'NetworkPolicy');

  it.each([
    ['chart defaults', [], {}],
    [
      'the observability values',
      OBSERVABILITY,
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } },
    ],
  ])('only the scraper namespace, with %s', (_, valueFiles, podSelector) => {
    for (const service of SERVICES) {
      expect([service, admittedPeers(policies(valueFiles), 'Ingress', pod(service), 9464)]).toEqual([
        service,
        [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, ...podSelector }],
      ]);
      // nobody in the release's namespace: not the other services, not the helm tests, not an outsider pod
      for (const from of [...SERVICES, 'helm-test'])
        expect([from, service, allowsConnection(policies(valueFiles), pod(from), pod(service), 9464)]).toEqual([
          from,
          service,
          false,
        ]);
      expect(allowsConnection(policies(valueFiles), { app: 'somebody-else' }, pod(service), 9464)).toBe(false);
    }
  });

  it('follows metrics.scrapeFrom.namespace', () => {
    const moved = ofKind(render({ set: { 'metrics.scrapeFrom.namespace': 'observability' } }), 'NetworkPolicy');
    for (const service of SERVICES)
      expect(admittedPeers(moved, 'Ingress', pod(service), 9464)).toEqual([
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } },
      ]);
  });

  it('gives the scraper no way to the API ports of the services other than the public gateway', () => {
    const manifests = render({ valueFiles: OBSERVABILITY });
    for (const service of SERVICES.filter((s) => s !== 'gateway')) {
      const apiPort = Number(named(manifests, 'ConfigMap', `study-buddy-${service}`).data.PORT);
      const peers = admittedPeers(ofKind(manifests, 'NetworkPolicy'), 'Ingress', pod(service), apiPort);
      expect([service, peers !== 'anyone' && peers.some((peer) => peer.namespaceSelector)]).toEqual([service, false]);
    }
  });

  it('is never a route of the Ingress', () => {
    const manifests = render({ valueFiles: OBSERVABILITY });
    const [ingress] = ofKind(manifests, 'Ingress');
    const backends = ingress.spec.rules.flatMap((rule: Manifest) =>
      rule.http.paths.map((p: Manifest) => p.backend.service),
    );
    expect(backends.length).toBeGreaterThan(0);
    for (const backend of backends) {
      const port = named(manifests, 'Service', backend.name).spec.ports.find(
        (p: { name: string; port: number }) => p.name === backend.port.name || p.port === backend.port.number,
      );
      expect(port).toMatchObject({ name: 'http', targetPort: 'http' });
    }
  });
});

describe('traces', () => {
  const config = (manifests: Manifest[]) => named(manifests, 'ConfigMap', 'study-buddy-config').data;

  it('are off by default: no OTLP settings and no egress to a collector', () => {
    const manifests = render();
    expect(config(manifests).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(config(manifests).OTEL_TRACES_SAMPLER_ARG).toBeUndefined();
    for (const service of SERVICES)
      expect([service, allowsOpenEgress(ofKind(manifests, 'NetworkPolicy'), pod(service), 4318)]).toEqual([
        service,
        false,
      ]);
  });

  it('go to the collector pods of its namespace only, when it is in the cluster', () => {
    const manifests = render({ valueFiles: OBSERVABILITY });
    expect(config(manifests)).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc:4318',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    const policies = ofKind(manifests, 'NetworkPolicy');
    for (const service of SERVICES) {
      expect([service, admittedPeers(policies, 'Egress', pod(service), 4318)]).toEqual([
        service,
        [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'opentelemetry-collector' } },
          },
        ],
      ]);
      expect(allowsOpenEgress(policies, pod(service), 4318)).toBe(false);
    }
  });

  it.each([
    ['https://otlp.example.com', {}, 443],
    ['http://collector.example.internal:4318/otlp', {}, 4318],
    ['http://otel-collector.observability:80', { 'tracing.collector.port': '4318' }, 4318],
  ])('go out by port to an endpoint outside the cluster: %s', (endpoint, set, port) => {
    const policies = ofKind(render({ set: { 'tracing.otlpEndpoint': endpoint, ...set } }), 'NetworkPolicy');
    for (const service of SERVICES)
      expect([service, allowsOpenEgress(policies, pod(service), port)]).toEqual([service, true]);
    // and not without tracing (the gateway has no other way out at all)
    expect(allowsOpenEgress(ofKind(render(), 'NetworkPolicy'), pod('gateway'), port)).toBe(false);
  });
});
