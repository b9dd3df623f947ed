import { ensureHelm } from './helm';
import { Manifest, ofKind } from './manifests';
import { render } from './rendered-chart';
import { exposedMetricNames, seriesBase } from './service-metrics';

beforeAll(ensureHelm);

const OBSERVABILITY = ['k8s/values-production.yaml', 'charts/study-buddy/ci/observability-values.yaml'];

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr: string; datasource?: { uid: string } }>;
}
const dashboardConfigMaps = (manifests: Manifest[]) =>
  ofKind(manifests, 'ConfigMap').filter((m) => m.metadata.labels?.grafana_dashboard);

describe('the Grafana dashboard', () => {
  const configMap = () => {
    const found = dashboardConfigMaps(render({ valueFiles: OBSERVABILITY }));
    expect(found).toHaveLength(1);
    return found[0];
  };
  const dashboard = () => JSON.parse(configMap().data['study-buddy.json']);
  const panels = (): Panel[] => dashboard().panels;
  const queries = () => panels().flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it('is off by default', () => {
    expect(dashboardConfigMaps(render())).toEqual([]);
  });

  it("is a ConfigMap with the Grafana sidecar's label and the annotations given", () => {
    expect(configMap().metadata.labels?.grafana_dashboard).toBe('1');
    expect(configMap().metadata.annotations).toEqual({ grafana_folder: 'Study Buddy' });
    const moved = dashboardConfigMaps(
      render({ set: { 'metrics.dashboard.enabled': 'true', 'metrics.dashboard.namespace': 'grafana' } }),
    );
    expect(moved.map((m) => m.metadata.namespace)).toEqual(['grafana']);
  });

  it('is dashboard JSON: a schema version, a uid, and every panel on the 24-column grid without overlaps', () => {
    const { schemaVersion, uid, title } = dashboard();
    expect([typeof schemaVersion, uid, title]).toEqual(['number', 'study-buddy', 'Study Buddy']);
    const cells = new Map<string, string>();
    for (const { title, gridPos } of panels()) {
      expect([title, gridPos.x >= 0 && gridPos.w > 0 && gridPos.x + gridPos.w <= 24 && gridPos.h > 0]).toEqual([
        title,
        true,
      ]);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++)
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect([title, cells.get(`${x},${y}`)]).toEqual([title, undefined]);
          cells.set(`${x},${y}`, title);
        }
    }
  });

  it('queries through its templated Prometheus data source, in the namespaces chosen', () => {
    const variables = dashboard().templating.list;
    expect(variables).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    expect(variables).toContainEqual(expect.objectContaining({ name: 'namespace', includeAll: true, allValue: '.*' }));
    for (const panel of panels().filter((p) => p.type !== 'row')) {
      expect([panel.title, panel.datasource]).toEqual([panel.title, { type: 'prometheus', uid: '${datasource}' }]);
      expect([panel.title, panel.targets?.length]).toEqual([panel.title, expect.any(Number)]);
      for (const target of panel.targets!) {
        expect([panel.title, target.datasource?.uid]).toEqual([panel.title, '${datasource}']);
        expect([panel.title, target.expr]).toEqual([panel.title, expect.stringContaining('namespace=~"$namespace"')]);
      }
    }
  });

  it('reads only metrics the services expose', () => {
    const exposed = exposedMetricNames();
    const unknown = queries().flatMap(({ panel, expr }) =>
      [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)]
        .map((m) => m[1])
        .filter((series) => !exposed.has(series) && !exposed.has(seriesBase(series)))
        .map((series) => `${panel}: ${series}`),
    );
    expect(unknown).toEqual([]);
  });

  it('shows the pipeline, HTTP, consumer lag, dead letters, projection and relay lag, credits and Claude', () => {
    const used = new Set(
      queries().flatMap(({ expr }) => [...expr.matchAll(/([a-z_:][a-z0-9_:]*)\{/g)].map((m) => seriesBase(m[1]))),
    );
    for (const metric of [
      'pipeline_jobs_total',
      'pipeline_step_duration_seconds',
      'http_server_request_duration_seconds',
      'jetstream_consumer_pending_messages',
      'jetstream_consumer_ack_pending_messages',
      'jetstream_consumer_dead_letters_total',
      'projection_lag_events',
      'outbox_relay_lag_events',
      'billing_credits_total',
      'claude_tokens_total',
      'claude_estimated_cost_usd_total',
    ])
      expect([metric, used.has(metric)]).toEqual([metric, true]);
    const expressions = queries().map(({ expr }) => expr);
    for (const quantile of ['0.5', '0.99'])
      expect(expressions).toContainEqual(
        expect.stringMatching(new RegExp(`histogram_quantile\\(${quantile}, .*pipeline_step_duration_seconds_bucket`)),
      );
    expect(expressions).toContainEqual(
      expect.stringMatching(/http_server_request_duration_seconds_count\{[^}]*status_code=~"5\.\."/),
    );
    expect(expressions).toContainEqual(
      expect.stringMatching(/histogram_quantile\(0\.99, sum by \(le, service, route\)/),
    );
  });
});
