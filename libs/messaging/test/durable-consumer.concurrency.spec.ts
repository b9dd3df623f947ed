import { randomUUID } from 'node:crypto';
import { JSONCodec } from 'nats';
import { IntegrationEvent } from '@study-buddy/contracts';
import { waitFor } from '@study-buddy/testing';
import { createDurableConsumer, createMemoryProcessedEvents, Delivery, DurableConsumer } from '../src';
import { useJetStream } from './support/jetstream-fixture';

const codec = JSONCodec<unknown>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A gate the test opens: handlers wait on it, so the test decides when they finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('durable JetStream consumer with concurrency', () => {
  const js = useJetStream();
  const consumers: DurableConsumer[] = [];
  afterEach(async () => Promise.all(consumers.splice(0).map((c) => c.stop())));

  const subject = () => `${js.topology.namespace}evt.gateway.UserRegistered`;
  const envelope = (): IntegrationEvent => ({
    id: randomUUID(),
    type: 'UserRegistered',
    version: 1,
    source: 'gateway',
    stream: 'user-x',
    occurredAt: new Date().toISOString(),
    data: { userId: randomUUID(), email: 'a@example.com', registeredAt: new Date().toISOString() },
    metadata: {},
  });
  const publish = (event: IntegrationEvent) =>
    js.nc.jetstream().publish(subject(), codec.encode(event), { msgID: event.id });

  async function consume(
    durable: string,
    handler: (e: IntegrationEvent, d: Delivery) => Promise<void>,
    extra: Record<string, unknown> = {},
  ) {
    const consumer = createDurableConsumer({
      nc: js.nc,
      topology: js.topology,
      durable,
      filterSubject: `${js.topology.namespace}evt.gateway.>`,
      handler: (e, _context, delivery) => handler(e, delivery),
      processed: createMemoryProcessedEvents(),
      maxDeliver: 3,
      backoffMs: [50, 100],
      ackWaitMs: 5000,
      concurrency: 3,
      pullExpiresMs: 1000,
      ...extra,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }
  const ackPending = async (durable: string) =>
    (await js.jsm.consumers.info(js.topology.eventsStream, durable)).num_ack_pending;

  it('handles N at once and never more, and takes no message it has no slot for', async () => {
    const release = gate();
    let inFlight = 0;
    let most = 0;
    const handled: string[] = [];
    await consume('slots', async (e) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await release.opened;
      await sleep(20);
      inFlight--;
      handled.push(e.id);
    });
    const events = Array.from({ length: 10 }, () => envelope());
    for (const e of events) await publish(e);
    await waitFor(() => inFlight === 3, { what: 'three handlers running' });
    await sleep(500);
    expect(inFlight).toBe(3);
    // only the three in hand were delivered: the other seven wait on the server, for any replica
    expect(await ackPending('slots')).toBe(3);
    release.open();
    await waitFor(() => handled.length === 10, { what: 'all ten handled' });
    expect(most).toBe(3);
    expect(new Set(handled)).toEqual(new Set(events.map((e) => e.id)));
    await waitFor(async () => (await ackPending('slots')) === 0, { what: 'every message acknowledged' });
  });

  it('redelivers a failed message with backoff while the other slots keep working', async () => {
    const attempts = new Map<string, number[]>();
    const handled: string[] = [];
    const flaky = envelope();
    await consume('retry', async (e, delivery) => {
      attempts.set(e.id, [...(attempts.get(e.id) ?? []), delivery.attempt]);
      if (e.id === flaky.id && delivery.attempt < 3) throw new Error('briefly broken');
      handled.push(e.id);
    });
    const others = Array.from({ length: 4 }, () => envelope());
    await publish(flaky);
    for (const e of others) await publish(e);
    await waitFor(() => handled.length === 5, { what: 'all five handled' });
    expect(attempts.get(flaky.id)).toEqual([1, 2, 3]);
    for (const e of others) expect(attempts.get(e.id)).toEqual([1]);
  });

  it('keeps slow messages alive with heartbeats: each is handled once, not redelivered', async () => {
    const deliveries: number[] = [];
    await consume(
      'slow',
      async (_e, delivery) => {
        deliveries.push(delivery.attempt);
        await sleep(4500); // more than twice the ack wait
      },
      { ackWaitMs: 2000 },
    );
    await publish(envelope());
    await publish(envelope());
    await waitFor(() => deliveries.length === 2, { what: 'both slow messages started' });
    await sleep(5500);
    expect(deliveries).toEqual([1, 1]);
    const info = await js.jsm.consumers.info(js.topology.eventsStream, 'slow');
    expect([info.num_redelivered, info.num_ack_pending]).toEqual([0, 0]);
  });

  it('on stop lets the messages in hand finish within the bound', async () => {
    const handled: string[] = [];
    const consumer = await consume(
      'drain',
      async (e) => {
        await sleep(800);
        handled.push(e.id);
      },
      { drainTimeoutMs: 5000 },
    );
    for (let i = 0; i < 2; i++) await publish(envelope());
    await waitFor(async () => (await ackPending('drain')) === 2, { what: 'both in hand' });
    await consumer.stop();
    expect(handled).toHaveLength(2);
    expect(await ackPending('drain')).toBe(0);
  });

  it('on stop hands back what did not finish within the bound, to another worker at once', async () => {
    const signals: AbortSignal[] = [];
    const handedBack: number[] = [];
    const stuck = gate();
    const first = await consume(
      'handback',
      async (_e, delivery) => {
        signals.push(delivery.signal!);
        await stuck.opened; // never opened: these jobs outlast the bound
      },
      { drainTimeoutMs: 300, onHandedBack: (n: number) => handedBack.push(n), ackWaitMs: 60_000 },
    );
    const events = [envelope(), envelope()];
    for (const e of events) await publish(e);
    await waitFor(() => signals.length === 2, { what: 'both jobs running' });
    const stopping = Date.now();
    await first.stop();
    // the bound, plus waiting out the current pull request (1 s here)
    expect(Date.now() - stopping).toBeLessThan(2500);
    expect(handedBack).toEqual([2]);
    expect(signals.every((s) => s.aborted)).toBe(true);

    const taken: Array<{ id: string; attempt: number }> = [];
    const tookOverAt = Date.now();
    await consume('handback', async (e, d) => void taken.push({ id: e.id, attempt: d.attempt }), {
      ackWaitMs: 60_000,
    });
    await waitFor(() => taken.length === 2, { what: 'the handed-back jobs taken by another worker' });
    // well before the 60 s ack wait that an unacknowledged message would need
    expect(Date.now() - tookOverAt).toBeLessThan(3000);
    expect(taken.map((t) => t.attempt)).toEqual([2, 2]);
    expect(new Set(taken.map((t) => t.id))).toEqual(new Set(events.map((e) => e.id)));
    stuck.open(); // the abandoned handlers end; their outcome acknowledges nothing
  });
});
