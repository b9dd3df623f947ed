import { ensureHelm, lint } from './helm';
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

  it('renders each object once, with a name Kubernetes accepts', () => {
    const keys = render({ valueFiles }).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(keys.length).toBe(new Set(keys).size);
    for (const key of keys) expect(key.split('/')[1]).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
});
