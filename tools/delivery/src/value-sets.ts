/**
 * The value sets CI renders the chart under: what users install (chart
 * defaults, kind, production) and each optional feature switched on.
 */
export const VALUE_SETS: Record<string, string[]> = {
  'chart defaults': [],
  'kind (k8s/values-dev.yaml)': ['k8s/values-dev.yaml'],
  'production, all external (k8s/values-production.yaml)': ['k8s/values-production.yaml'],
  'processor scaled by KEDA': ['k8s/values-dev.yaml', 'charts/study-buddy/ci/keda-values.yaml'],
  'network policies and ingress': ['charts/study-buddy/ci/network-ingress-values.yaml'],
  'production with KEDA and the PostgreSQL event store': [
    'k8s/values-production.yaml',
    'charts/study-buddy/ci/keda-values.yaml',
    'charts/study-buddy/ci/postgres-event-store-values.yaml',
  ],
  'production with a ServiceMonitor, the Grafana dashboard and traces': [
    'k8s/values-production.yaml',
    'charts/study-buddy/ci/observability-values.yaml',
  ],
};
