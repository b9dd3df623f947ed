import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureHelm } from './helm';
import { Manifest, named, ofKind } from './manifests';
import { render } from './rendered-chart';
import { SERVICES, WORKSPACE } from './workspace';

beforeAll(ensureHelm);

const CA_PATH = '/etc/study-buddy/eventstore-ca/ca.crt';
const container = (manifests: Manifest[], service: string) =>
  named(manifests, 'Deployment', `study-buddy-${service}`).spec.template.spec.containers[0];
const pod = (manifests: Manifest[], service: string) =>
  named(manifests, 'Deployment', `study-buddy-${service}`).spec.template.spec;

describe('how the services reach EventStoreDB', () => {
  it('kind: the in-cluster node, insecure inside the cluster network, with no CA to mount', () => {
    const manifests = render({ valueFiles: ['k8s/values-dev.yaml'] });
    expect(named(manifests, 'ConfigMap', 'study-buddy-config').data.EVENTSTORE_CONNECTION_STRING).toBe(
      'esdb://study-buddy-eventstoredb:2113?tls=false',
    );
    for (const service of SERVICES) {
      expect(pod(manifests, service).volumes.map((v: { name: string }) => v.name)).not.toContain('eventstore-ca');
      expect(container(manifests, service).env.map((e: { name: string }) => e.name)).not.toContain(
        'EVENTSTORE_CONNECTION_STRING',
      );
    }
  });

  it('production: the connection string from its Secret and the CA mounted read-only where tlsCAFile names it', () => {
    const manifests = render({ valueFiles: ['k8s/values-production.yaml'] });
    for (const config of ofKind(manifests, 'ConfigMap'))
      expect(config.data?.EVENTSTORE_CONNECTION_STRING).toBeUndefined();
    for (const service of SERVICES) {
      const env = container(manifests, service).env.find(
        (e: { name: string }) => e.name === 'EVENTSTORE_CONNECTION_STRING',
      );
      expect(env.valueFrom.secretKeyRef).toEqual({
        name: 'study-buddy-eventstore',
        key: 'EVENTSTORE_CONNECTION_STRING',
      });
      const mount = container(manifests, service).volumeMounts.find(
        (m: { name: string }) => m.name === 'eventstore-ca',
      );
      expect(mount).toEqual({ name: 'eventstore-ca', mountPath: path.dirname(CA_PATH), readOnly: true });
      expect(pod(manifests, service).volumes).toContainEqual({
        name: 'eventstore-ca',
        secret: { secretName: 'study-buddy-eventstore-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
      });
    }
  });

  it('production example: the connection string it tells to create uses TLS, the mounted CA and explicit deadlines', () => {
    const example = readFileSync(path.join(WORKSPACE, 'k8s/values-production.yaml'), 'utf8');
    const [connectionString] = example.match(/esdb\+discover:\/\/[^'\s]+/) ?? [''];
    const parameters = new URL(connectionString.replace(/^esdb\+discover:/, 'http:')).searchParams;
    expect(parameters.get('tls')).toBe('true');
    expect(parameters.get('tlsCAFile')).toBe(CA_PATH);
    for (const setting of ['keepAliveInterval', 'keepAliveTimeout', 'defaultDeadline'])
      expect(Number(parameters.get(setting))).toBeGreaterThan(0);
  });

  it('mounts no CA when the event store is the in-cluster node, even if one is named', () => {
    const manifests = render({
      valueFiles: ['k8s/values-dev.yaml'],
      set: { 'eventStore.external.tlsCA.existingSecret': 'some-ca' },
    });
    for (const service of SERVICES)
      expect(pod(manifests, service).volumes.map((v: { name: string }) => v.name)).not.toContain('eventstore-ca');
  });
});
