import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object, loosely typed: the checks read what they need. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

export function parseManifests(rendered: string): Manifest[] {
  return parseAllDocuments(rendered)
    .map((document) => {
      if (document.errors.length) throw new Error(`invalid YAML in rendered chart: ${document.errors[0].message}`);
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** Groups of custom resources kubernetes-models has no package for: modelled in ./crds, the same way. */
const LOCAL_MODEL_GROUPS = new Set(['monitoring.coreos.com']);

/** The module kubernetes-models (its KEDA package, or ./crds) declares an apiVersion/kind in: class `Kind`, interface `IKind`. */
export function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (LOCAL_MODEL_GROUPS.has(group)) return path.join(__dirname, 'crds', group, version, kind);
  return group === 'keda.sh'
    ? `@kubernetes-models/keda/${apiVersion}/${kind}`
    : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

/** The model class of an apiVersion/kind. */
function modelFor(apiVersion: string, kind: string): { new (data: unknown): { validate(): void } } {
  try {
    return require(modelModule(apiVersion, kind))[kind];
  } catch {
    throw new Error(`no schema for ${apiVersion} ${kind}: is that a real Kubernetes kind?`);
  }
}

/** Validates against the Kubernetes OpenAPI schema of its kind; returns the problems, if any. */
export function schemaProblems(manifest: Manifest): string[] {
  try {
    const Model = modelFor(manifest.apiVersion, manifest.kind);
    new Model(manifest).validate();
    return [];
  } catch (error) {
    return [`${manifest.kind}/${manifest.metadata?.name}: ${(error as Error).message}`];
  }
}

export const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

export function named(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in the rendered chart`);
  return found;
}

/** Every workload's pod template (Deployments, StatefulSets) and bare Pods (helm tests). */
export function podSpecs(
  manifests: Manifest[],
): Array<{ owner: string; labels: Record<string, string>; spec: Manifest['spec'] }> {
  return manifests.flatMap((m) => {
    if (m.kind === 'Deployment' || m.kind === 'StatefulSet')
      return [
        { owner: `${m.kind}/${m.metadata.name}`, labels: m.spec.template.metadata.labels, spec: m.spec.template.spec },
      ];
    if (m.kind === 'Pod') return [{ owner: `Pod/${m.metadata.name}`, labels: m.metadata.labels ?? {}, spec: m.spec }];
    return [];
  });
}

export const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);
