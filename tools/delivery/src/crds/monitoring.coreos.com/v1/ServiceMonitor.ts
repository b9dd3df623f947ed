/**
 * The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), which kubernetes-models does not
 * ship: the fields the chart may render, as the CRD (operator 0.84) defines them, shaped like a
 * kubernetes-models module (class `Kind` with validate(), interface `IKind`) so the render checks treat
 * it like any other kind. A field missing here fails the unknown-field check: add it from the CRD.
 */

interface ILabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

interface IRelabelConfig {
  action?: string;
  sourceLabels?: string[];
  separator?: string;
  regex?: string;
  replacement?: string;
  targetLabel?: string;
  modulus?: number;
}

export interface IEndpoint {
  port?: string;
  targetPort?: number | string;
  path?: string;
  scheme?: 'http' | 'https' | 'HTTP' | 'HTTPS';
  interval?: string;
  scrapeTimeout?: string;
  honorLabels?: boolean;
  honorTimestamps?: boolean;
  relabelings?: IRelabelConfig[];
  metricRelabelings?: IRelabelConfig[];
}

export interface IServiceMonitor {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'ServiceMonitor';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    selector: ILabelSelector;
    endpoints: IEndpoint[];
    namespaceSelector?: { any?: boolean; matchNames?: string[] };
    jobLabel?: string;
    targetLabels?: string[];
    podTargetLabels?: string[];
    sampleLimit?: number;
  };
}

// the CRD's pattern for interval and scrapeTimeout (Prometheus durations)
const DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

export class ServiceMonitor {
  constructor(private readonly data: IServiceMonitor) {}

  /** The CRD's required fields and patterns; throws naming every problem. */
  validate(): void {
    const { metadata, spec } = this.data;
    const problems: string[] = [];
    if (!metadata?.name) problems.push('metadata.name is required');
    if (!spec?.selector || typeof spec.selector !== 'object') problems.push('spec.selector is required');
    if (!Array.isArray(spec?.endpoints)) problems.push('spec.endpoints must be an array');
    for (const [index, endpoint] of (spec?.endpoints ?? []).entries()) {
      if (!endpoint.port && endpoint.targetPort === undefined) problems.push(`spec.endpoints[${index}] names no port`);
      for (const field of ['interval', 'scrapeTimeout'] as const)
        if (endpoint[field] !== undefined && !DURATION.test(endpoint[field]!))
          problems.push(`spec.endpoints[${index}].${field} must match ${DURATION}`);
    }
    if (problems.length) throw new Error(problems.join('; '));
  }
}
