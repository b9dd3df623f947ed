import { ensureHelm, renderNotes } from './helm';
import { named } from './manifests';
import { render } from './rendered-chart';

beforeAll(ensureHelm);

describe('NOTES.txt', () => {
  it('tells a kind user how to reach the gateway, with the Service and port the chart renders', () => {
    const notes = renderNotes({ valueFiles: ['k8s/values-dev.yaml'] });
    const command = /kubectl --namespace study-buddy port-forward service\/(\S+) (\d+):(\d+)/.exec(notes);
    expect(command).not.toBeNull();
    const service = named(render({ valueFiles: ['k8s/values-dev.yaml'] }), 'Service', command![1]);
    expect(service.spec.selector['app.kubernetes.io/component']).toBe('gateway');
    expect(service.spec.ports[0].port).toBe(Number(command![3]));
    expect(notes).toContain('helm test study-buddy --namespace study-buddy');
    expect(notes).toContain('The access-token signing key (Ed25519) was generated');
  });

  it('gives the Ingress address when there is one, and no generated-key note when the key comes from a Secret', () => {
    const notes = renderNotes({ valueFiles: ['k8s/values-production.yaml'] });
    expect(notes).toContain('https://api.study-buddy.example/');
    expect(notes).not.toContain('port-forward');
    expect(notes).not.toContain('generated');
  });
});
