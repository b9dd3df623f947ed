import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ensureHelm } from './helm';
import { applyPatch, PatchOperation } from './json-patch';
import { named, ofKind } from './manifests';
import { render } from './rendered-chart';
import { CHART_DIR, dockerfilePath, SERVICES, SKAFFOLD_FILE, WORKSPACE } from './workspace';

beforeAll(ensureHelm);

interface Release {
  name: string;
  chartPath: string;
  namespace: string;
  valuesFiles: string[];
  setValueTemplates: Record<string, string>;
}
interface SkaffoldConfig {
  apiVersion: string;
  kind: string;
  build: {
    tagPolicy: object;
    local: { push?: boolean };
    artifacts: Array<{ image: string; context: string; docker: { dockerfile: string } }>;
  };
  deploy: { helm: { releases: Release[] } };
  portForward?: Array<{
    resourceType: string;
    resourceName: string;
    namespace: string;
    port: number;
    localPort: number;
  }>;
  profiles: Array<{ name: string; activation?: Array<{ kubeContext?: string }>; patches: PatchOperation[] }>;
}

const skaffold = parse(readFileSync(SKAFFOLD_FILE, 'utf8')) as SkaffoldConfig;
const chartValues = parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8'));
const imageOf = (service: string) => `study-buddy-${service}`;
/** skaffold's template key for an image: `/` and `-` become `_`. */
const templateKey = (image: string) => image.replace(/[/-]/g, '_');
const profile = (name: string) => {
  const found = skaffold.profiles.find((p) => p.name === name);
  if (!found) throw new Error(`skaffold.yaml has no ${name} profile`);
  return applyPatch(skaffold, found.patches);
};
const lookup = (object: unknown, dotted: string) =>
  dotted.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], object);

describe('skaffold.yaml', () => {
  const [release] = skaffold.deploy.helm.releases;

  it('is a v4 config with one artifact per service, each built from its own existing Dockerfile at the repository root', () => {
    expect(skaffold.apiVersion).toMatch(/^skaffold\/v4(beta\d+)?$/);
    expect(skaffold.kind).toBe('Config');
    expect(skaffold.build.artifacts.map((a) => a.image)).toEqual(SERVICES.map(imageOf));
    for (const [index, service] of SERVICES.entries()) {
      const artifact = skaffold.build.artifacts[index];
      expect(artifact.context).toBe('.');
      expect(artifact.docker.dockerfile).toBe(dockerfilePath(service));
      expect(existsSync(path.join(WORKSPACE, artifact.context, artifact.docker.dockerfile))).toBe(true);
    }
  });

  it('deploys this chart with values files that exist', () => {
    expect(skaffold.deploy.helm.releases).toHaveLength(1);
    expect(path.resolve(WORKSPACE, release.chartPath)).toBe(CHART_DIR);
    for (const file of release.valuesFiles)
      expect([file, existsSync(path.join(WORKSPACE, file))]).toEqual([file, true]);
  });

  it("sets every service's image repository and tag from its own artifact, at keys the chart has", () => {
    const expected = Object.fromEntries(
      SERVICES.flatMap((service) => [
        [`services.${service}.image.repository`, `{{.IMAGE_REPO_${templateKey(imageOf(service))}}}`],
        [`services.${service}.image.tag`, `{{.IMAGE_TAG_${templateKey(imageOf(service))}}}`],
      ]),
    );
    expect(release.setValueTemplates).toEqual(expected);
    for (const key of Object.keys(release.setValueTemplates))
      expect([key, typeof lookup(chartValues, key)]).toEqual([key, 'string']);
  });

  it('makes each Deployment run the image skaffold built for it', () => {
    const built = Object.fromEntries(
      SERVICES.map((service) => [service, { repo: `registry.test/${imageOf(service)}`, tag: `${service}-0123abcd` }]),
    );
    const set = Object.fromEntries(
      Object.entries(release.setValueTemplates).map(([key, value]) => {
        const service = SERVICES.find((s) => value.includes(templateKey(imageOf(s))))!;
        return [key, value.startsWith('{{.IMAGE_REPO_') ? built[service].repo : built[service].tag];
      }),
    );
    const manifests = render({
      valueFiles: release.valuesFiles,
      set,
      release: release.name,
      namespace: release.namespace,
    });
    for (const service of SERVICES) {
      const [container] = named(manifests, 'Deployment', `study-buddy-${service}`).spec.template.spec.containers;
      expect(container.image).toBe(`${built[service].repo}:${built[service].tag}`);
    }
    // helm test pods reuse the gateway's image: on kind it is already loaded
    for (const pod of ofKind(manifests, 'Pod'))
      expect(pod.spec.containers[0].image).toBe(`${built.gateway.repo}:${built.gateway.tag}`);
  });

  it('port-forwards the gateway Service the chart renders for this release', () => {
    const manifests = render({ valueFiles: release.valuesFiles, release: release.name, namespace: release.namespace });
    const [forward] = skaffold.portForward!;
    const service = named(manifests, 'Service', forward.resourceName);
    expect(forward).toMatchObject({ resourceType: 'service', namespace: release.namespace });
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toContain(forward.port);
    expect(service.spec.selector['app.kubernetes.io/component']).toBe('gateway');
  });

  it('has a kind profile that activates on the cluster of k8s/kind-config.yaml and loads images instead of pushing them', () => {
    const kindCluster = parse(readFileSync(path.join(WORKSPACE, 'k8s/kind-config.yaml'), 'utf8')).name;
    const activation = skaffold.profiles
      .find((p) => p.name === 'kind')!
      .activation!.map((a) => new RegExp(`^${a.kubeContext}$`));
    expect(activation.some((context) => context.test(`kind-${kindCluster}`))).toBe(true);
    expect(activation.some((context) => context.test('gke_project_zone_cluster'))).toBe(false);
    expect(profile('kind').build.local.push).toBe(false);
  });

  it('has a prod profile that pushes, pins images by digest, uses production values and forwards no ports', () => {
    const prod = profile('prod');
    expect(prod.build.local.push).toBe(true);
    const [prodRelease] = prod.deploy.helm.releases;
    for (const file of prodRelease.valuesFiles)
      expect([file, existsSync(path.join(WORKSPACE, file))]).toEqual([file, true]);
    for (const service of SERVICES) {
      const key = templateKey(imageOf(service));
      expect(prodRelease.setValueTemplates[`services.${service}.image.tag`]).toBe(
        `{{.IMAGE_TAG_${key}}}@{{.IMAGE_DIGEST_${key}}}`,
      );
      expect(prodRelease.setValueTemplates[`services.${service}.image.repository`]).toBe(`{{.IMAGE_REPO_${key}}}`);
    }
    expect(prod.portForward).toBeUndefined();
    // the production values render
    expect(
      render({ valueFiles: prodRelease.valuesFiles, release: prodRelease.name, namespace: prodRelease.namespace })
        .length,
    ).toBeGreaterThan(10);
  });
});
