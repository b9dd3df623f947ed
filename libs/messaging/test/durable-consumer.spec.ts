import { randomUUID } from 'node:crypto';
import { JSONCodec } from 'nats';
import { IntegrationEvent } from '@study-buddy/contracts';
import { registry } from '@study-buddy/observability';
import { waitFor } from '@study-buddy/testing';
import {
  createDurableConsumer,
  createMemoryProcessedEvents,
  DurableConsumer,
  listDeadLetters,
  replayDeadLetters,
} from '../src';
import { useJetStream } from './support/jetstream-fixture';

const codec = JSONCodec<unknown>();

describe('durable JetStream consumer', () => {
  const js = useJetStream();
  const consumers: DurableConsumer[] = [];
  // consumers stop before the fixture closes the connection (afterEach hooks run in reverse)
  afterEach(async () => Promise.all(consumers.splice(0).map((c) => c.stop())));

  const subject = (type: string) => `${js.topology.namespace}evt.gateway.${type}`;
  const envelope = (id = randomUUID()): IntegrationEvent => ({
    id,
    type: 'UserRegistered',
    version: 1,
    source: 'gateway',
    stream: 'user-x',
    occurredAt: new Date().toISOString(),
    data: { userId: randomUUID(), email: 'a@example.com', registeredAt: new Date().toISOString() },
    metadata: {},
  });
  const publish = (event: IntegrationEvent, msgID = event.id) =>
    js.nc.jetstream().publish(subject(event.type), codec.encode(event), { msgID });

  async function consume(durable: string, handler: (e: IntegrationEvent) => Promise<void>, extra = {}) {
    const consumer = createDurableConsumer({
      nc: js.nc,
      topology: js.topology,
      durable,
      filterSubject: `${js.topology.namespace}evt.gateway.>`,
      handler,
      processed: createMemoryProcessedEvents(),
      maxDeliver: 3,
      backoffMs: [50, 100],
      ackWaitMs: 5000,
      ...extra,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  it('handles each event once, even when it is delivered twice', async () => {
    const handled: string[] = [];
    await consume('once', async (e) => void handled.push(e.id));
    const event = envelope();
    await publish(event);
    await publish(event, `${event.id}-again`); // beyond JetStream's de-dupe: a second message with the same event id
    const other = envelope();
    await publish(other);
    await waitFor(() => handled.length === 2, { what: 'two events handled' });
    await new Promise((r) => setTimeout(r, 200));
    expect(handled).toEqual([event.id, other.id]);
  });

  it('redelivers a failing event with backoff, then dead-letters it with the error', async () => {
    const attempts: number[] = [];
    await consume('flaky', async () => {
      attempts.push(Date.now());
      throw new Error('ledger unavailable');
    });
    const event = envelope();
    await publish(event);
    await waitFor(async () => (await listDeadLetters(js.nc, js.topology, 'flaky')).length === 1, {
      what: 'a dead letter',
    });
    expect(attempts).toHaveLength(3);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(40);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(90);
    const [letter] = await listDeadLetters(js.nc, js.topology, 'flaky');
    expect(letter).toMatchObject({
      consumer: 'flaky',
      originalSubject: subject('UserRegistered'),
      error: 'ledger unavailable',
      deliveries: 3,
    });
    expect((letter.body as IntegrationEvent).id).toBe(event.id);
  });

  it('dead-letters a malformed message at once', async () => {
    const handled: string[] = [];
    await consume('strict', async (e) => void handled.push(e.id));
    await js.nc.jetstream().publish(subject('UserRegistered'), codec.encode({ hello: 'world' }));
    await waitFor(async () => (await listDeadLetters(js.nc, js.topology, 'strict')).length === 1, {
      what: 'a dead letter',
    });
    const [letter] = await listDeadLetters(js.nc, js.topology, 'strict');
    expect(letter.error).toMatch(/Invalid integration event/);
    expect(letter.deliveries).toBe(1);
    expect(handled).toEqual([]);
  });

  it('replays dead letters to the consumer they failed in, and only that one', async () => {
    let broken = true;
    const handled: string[] = [];
    const bystander: string[] = [];
    await consume('fixable', async (e) => {
      if (broken) throw new Error('bug');
      handled.push(e.id);
    });
    await consume('bystander', async (e) => void bystander.push(e.id));
    const event = envelope();
    await publish(event);
    await waitFor(async () => (await listDeadLetters(js.nc, js.topology, 'fixable')).length === 1, {
      what: 'a dead letter',
    });
    broken = false;
    expect(await replayDeadLetters(js.nc, js.topology, 'fixable')).toEqual({ replayed: 1, skipped: [] });
    await waitFor(() => handled.length === 1, { what: 'replayed event handled' });
    expect(handled).toEqual([event.id]);
    expect(bystander).toEqual([event.id]);
    expect(await listDeadLetters(js.nc, js.topology, 'fixable')).toEqual([]);
  });

  it('reports not running once its consume loop ends on its own', async () => {
    const errors: unknown[] = [];
    const consumer = await consume('orphan', async () => undefined, { onError: (e: unknown) => errors.push(e) });
    expect(consumer.running).toBe(true);
    // with the dead-letter stream gone a malformed message cannot be dead-lettered: the loop gives up
    await js.jsm.streams.delete(js.topology.deadLetterStream);
    await js.nc.jetstream().publish(subject('UserRegistered'), codec.encode({ hello: 'world' }));
    await waitFor(() => !consumer.running, { what: 'the consumer to report it is not running' });
    expect(errors).toHaveLength(1);
  });

  it('resumes after a restart without losing or repeating events', async () => {
    const handled: string[] = [];
    const first = await consume('restart', async (e) => void handled.push(e.id));
    const events = Array.from({ length: 20 }, () => envelope());
    for (const e of events.slice(0, 10)) await publish(e);
    await waitFor(() => handled.length === 10, { what: 'first ten' });
    await first.stop();
    for (const e of events.slice(10)) await publish(e);
    await consume('restart', async (e) => void handled.push(e.id));
    await waitFor(() => handled.length === 20, { what: 'all twenty' });
    expect(handled).toEqual(events.map((e) => e.id));
  });

  describe('metrics', () => {
    /** The value of one series in the process's registry (probed gauges are read now, as on a scrape). */
    async function series(name: string, labels: Record<string, string>): Promise<number | undefined> {
      const metric = registry.getSingleMetric(name);
      if (!metric) throw new Error(`no metric ${name}`);
      const { values } = await metric.get();
      return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
    }

    it('counts deliveries by outcome, redeliveries and dead letters', async () => {
      const failing = new Set<string>();
      await consume('metered', async (e) => {
        if (failing.has(e.id)) throw new Error('always fails');
      });
      const ok = envelope();
      const bad = envelope();
      failing.add(bad.id);
      await publish(ok);
      await publish(ok, `${ok.id}-again`); // the same event once more: a duplicate
      await publish(bad);
      await waitFor(async () => (await listDeadLetters(js.nc, js.topology, 'metered')).length === 1, {
        what: 'a dead letter',
      });
      const deliveries = (outcome: string) =>
        series('jetstream_consumer_deliveries_total', { consumer: 'metered', outcome });
      expect(await deliveries('handled')).toBe(1);
      expect(await deliveries('duplicate')).toBe(1);
      expect(await deliveries('retried')).toBe(2); // maxDeliver 3: two retries, then the dead letter
      expect(await deliveries('dead_lettered')).toBe(1);
      expect(await series('jetstream_consumer_redeliveries_total', { consumer: 'metered' })).toBe(2);
      expect(await series('jetstream_consumer_dead_letters_total', { consumer: 'metered' })).toBe(1);
    });

    it('reports its lag from JetStream while it runs, and no series once stopped', async () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const consumer = await consume('lagging', () => gate, { prefetch: 1 });
      for (let i = 0; i < 5; i += 1) await publish(envelope());
      const pending = () => series('jetstream_consumer_pending_messages', { consumer: 'lagging' });
      const inHand = () => series('jetstream_consumer_ack_pending_messages', { consumer: 'lagging' });
      await waitFor(async () => (await pending()) !== undefined && (await pending())! + (await inHand())! === 5, {
        what: 'five events behind',
      });
      expect(await inHand()).toBeGreaterThanOrEqual(1);
      open();
      await waitFor(async () => (await pending()) === 0 && (await inHand()) === 0, { what: 'the lag gone' });
      await consumer.stop();
      expect(await pending()).toBeUndefined();
    });
  });

  describe('through a dependency outage', () => {
    const outage = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const isOutage = (e: unknown) => (e as { code?: string }).code === 'ECONNREFUSED';

    it('retries in place until the outage passes, using up no delivery and dead-lettering nothing', async () => {
      const attempts: number[] = [];
      const handled: string[] = [];
      await consume(
        'outage',
        async (e) => {
          attempts.push(Date.now());
          if (attempts.length <= 5) throw outage(); // longer than maxDeliver (3) failures in a row
          handled.push(e.id);
        },
        { isOutage, outageRetryMs: [20, 50] },
      );
      const event = envelope();
      await publish(event);
      await waitFor(() => handled.length === 1, { what: 'the event handled once the outage passed' });
      expect(attempts).toHaveLength(6);
      expect(handled).toEqual([event.id]);
      expect(await listDeadLetters(js.nc, js.topology, 'outage')).toEqual([]);
      const info = await js.jsm.consumers.info(js.topology.eventsStream, 'outage');
      expect([info.num_redelivered, info.num_ack_pending]).toEqual([0, 0]);
    });

    it('stops at once during an outage and hands the message back', async () => {
      let calls = 0;
      const consumer = await consume(
        'outage-stop',
        async () => {
          calls += 1;
          throw outage();
        },
        { isOutage, outageRetryMs: [10_000, 10_000] },
      );
      await publish(envelope());
      await waitFor(() => calls === 1, { what: 'the first attempt' });
      const started = Date.now();
      await consumer.stop();
      expect(Date.now() - started).toBeLessThan(1000);
      const handled: string[] = [];
      await consume('outage-stop', async (e) => void handled.push(e.id));
      await waitFor(() => handled.length === 1, { what: 'the handed-back message handled after a restart' });
    });
  });
});
