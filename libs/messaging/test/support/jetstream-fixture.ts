import { connect, JetStreamManager, NatsConnection } from 'nats';
import { testNatsUrl, uniqueNamespace } from '@study-buddy/testing';
import { defaultTopology, ensureStreams, MessagingTopology } from '../../src';

/**
 * A connection and a private EVENTS/dead-letter stream pair per test, removed
 * afterwards: tests share the machine's NATS server without seeing each other.
 */
export function useJetStream(): { nc: NatsConnection; jsm: JetStreamManager; topology: MessagingTopology } {
  const fixture = {} as { nc: NatsConnection; jsm: JetStreamManager; topology: MessagingTopology };
  beforeEach(async () => {
    const ns = uniqueNamespace();
    fixture.topology = defaultTopology({
      namespace: ns.subjects,
      eventsStream: `${ns.streams}EVENTS`,
      deadLetterStream: `${ns.streams}DLQ`,
    });
    fixture.nc = await connect({ servers: testNatsUrl() });
    fixture.jsm = await ensureStreams(fixture.nc, fixture.topology);
  });
  afterEach(async () => {
    await fixture.jsm.streams.delete(fixture.topology.eventsStream).catch(() => undefined);
    await fixture.jsm.streams.delete(fixture.topology.deadLetterStream).catch(() => undefined);
    await fixture.nc.close();
  });
  return fixture;
}
