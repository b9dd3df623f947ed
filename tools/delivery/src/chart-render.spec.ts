import { ensureHelm, lint } from './helm';
import { unknownFieldProblems } from './manifest-types';
import { schemaProblems } from './manifests';
import { render } from './rendered-chart';
import { VALUE_SETS } from './value-sets';

beforeAll(ensureHelm);

describe.each(Object.entries(VALUE_SETS))('the chart with %s', (_, valueFiles) => {
  it('passes helm lint --strict', () => {
    const result = lint({ valueFiles });
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it('renders only objects that are valid against their Kubernetes schemas', () => {
    const manifests = render({ valueFiles });
    expect(manifests.length).toBeGreaterThan(20);
    expect(manifests.flatMap(schemaProblems)).toEqual([]);
  });

  it('uses only fields the Kubernetes API defines (a misspelt field would be dropped silently by the API server)', () => {
    expect(unknownFieldProblems(render({ valueFiles }))).toEqual([]);
  });

  it('renders each object once, with a name Kubernetes accepts', () => {
    const keys = render({ valueFiles }).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(keys.length).toBe(new Set(keys).size);
    for (const key of keys) expect(key.split('/')[1]).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
});

describe('the checks themselves', () => {
  it('reject an object the Kubernetes schema does not allow, and a kind that does not exist', () => {
    const [service] = structuredClone(
      render({ valueFiles: ['k8s/values-dev.yaml'] }).filter((m) => m.kind === 'Service'),
    );
    service.spec.ports[0].protocol = 'QUIC';
    expect(schemaProblems(service)).toEqual([
      expect.stringMatching(/^Service\/.*protocol must be equal to one of the allowed values/),
    ]);
    expect(schemaProblems({ ...service, kind: 'Servcie' })).toEqual([
      expect.stringMatching(/no schema for v1 Servcie/),
    ]);
  });

  it('report a misspelt field and a wrongly typed one, naming the object', () => {
    const manifests = structuredClone(render({ valueFiles: ['k8s/values-dev.yaml'] }));
    const gateway = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'study-buddy-gateway')!;
    gateway.spec.template.spec.containers[0].readinesProbe = gateway.spec.template.spec.containers[0].readinessProbe;
    gateway.spec.replicas = '2';
    const problems = unknownFieldProblems(manifests);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Deployment\/study-buddy-gateway: .*'"readinesProbe"' does not exist in type 'IContainer'/,
        ),
        expect.stringMatching(/^Deployment\/study-buddy-gateway: Type 'string' is not assignable to type 'number'/),
      ]),
    );
  });
});
