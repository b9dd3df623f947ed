import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, headers, JSONCodec } from 'nats';
import { IntegrationEvent, subscription } from '@study-buddy/contracts';
import { waitFor } from '@study-buddy/testing';
import {
  createMemoryProcessedEvents,
  createSubscriptionConsumer,
  deadLetterSubject,
  DurableConsumer,
  HandlersFor,
  HEADER,
  listDeadLetters,
  replayDeadLetters,
  subscribedSubjects,
} from '../src';
import { useJetStream } from './support/jetstream-fixture';

const codec = JSONCodec<unknown>();
const now = () => new Date().toISOString();

/** Videos reading the processor: JobProgressed and JobFailed, through one durable each. */
describe('subscription consumer', () => {
  const js = useJetStream();
  const consumers: DurableConsumer[] = [];
  afterEach(async () => Promise.all(consumers.splice(0).map((c) => c.stop())));

  const sub = subscription('videos', 'processor');
  const videoId = randomUUID();
  const payloads: Record<string, unknown> = {
    JobProgressed: { videoId, step: 'starting', progress: 10, message: 'Starting', at: now() },
    JobFailed: {
      videoId,
      userId: randomUUID(),
      error: 'no',
      failedStep: 'starting',
      retryable: false,
      failedAt: now(),
    },
    JobStarted: { videoId, userId: randomUUID(), youtubeVideoId: 'aaaaaaaaaa1', attempt: 1, startedAt: now() },
  };
  /** Publishes `type` and returns its event id; JobStarted is what the old relay used to publish. */
  async function publish(type: string): Promise<string> {
    const event: IntegrationEvent = {
      id: randomUUID(),
      type,
      version: 1,
      source: 'processor',
      stream: `job-${videoId}`,
      occurredAt: now(),
      data: payloads[type],
      metadata: {},
    };
    await js.nc.jetstream().publish(`${js.topology.namespace}evt.processor.${type}`, codec.encode(event), {
      msgID: event.id,
    });
    return event.id;
  }

  const processed = createMemoryProcessedEvents();
  const handled: string[] = [];
  beforeEach(() => (handled.length = 0));
  const handlers: HandlersFor<'videos', 'processor'> = {
    // typed data, no cast: step and failedStep are the published enums
    JobProgressed: async (d, _context, { eventId }) => void handled.push(`JobProgressed:${d.step}:${eventId}`),
    JobFailed: async (d, _context, { eventId }) => void handled.push(`JobFailed:${d.failedStep}:${eventId}`),
    JobCompleted: async (_d, _context, { eventId }) => void handled.push(`JobCompleted:${eventId}`),
    JobSpendSettled: async (_d, _context, { eventId }) => void handled.push(`JobSpendSettled:${eventId}`),
  };
  function create() {
    return createSubscriptionConsumer({
      nc: js.nc,
      topology: js.topology,
      subscription: sub,
      handlers,
      processed,
      maxDeliver: 3,
      backoffMs: [50],
      ackWaitMs: 5000,
    });
  }
  async function start() {
    const consumer = create();
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }
  const consumerNames = async () => {
    const names: string[] = [];
    for await (const page of js.jsm.consumers.list(js.topology.eventsStream)) names.push(page.name);
    return names.sort();
  };
  const deliveredTotal = async () => {
    let total = 0;
    for await (const c of js.jsm.consumers.list(js.topology.eventsStream)) total += c.delivered.consumer_seq;
    return total;
  };
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('delivers only the types it handles, one durable per type, each to its typed handler', async () => {
    const progressed = await publish('JobProgressed');
    await publish('JobStarted');
    const failed = await publish('JobFailed');
    await start();
    await waitFor(() => handled.length === 2, { what: 'both handled events' });
    await settle();
    expect(handled.sort()).toEqual([`JobFailed:starting:${failed}`, `JobProgressed:starting:${progressed}`].sort());
    expect(await consumerNames()).toEqual([
      'videos-processor-events-JobCompleted',
      'videos-processor-events-JobFailed',
      'videos-processor-events-JobProgressed',
      'videos-processor-events-JobSpendSettled',
    ]);
    expect(await deliveredTotal()).toBe(2); // nothing delivered that no handler acts on
  });

  it('deletes the durables of its retired types, and no other it does not know', async () => {
    // the previous release also handled JobStarted (retired); a later release handles JobQueued (unknown
    // here: a replica of this release must leave it to the newer ones); another subscription shares the stream
    const retiring = { ...sub, retired: ['JobStarted'] };
    for (const [durable, type] of [
      [`${sub.name}-JobStarted`, 'JobStarted'],
      [`${sub.name}-JobQueued`, 'JobQueued'],
      ['notes-processor-events-JobCompleted', 'JobCompleted'],
    ])
      await js.jsm.consumers.add(js.topology.eventsStream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        filter_subject: filter(type),
      });
    const consumer = createSubscriptionConsumer({
      nc: js.nc,
      topology: js.topology,
      subscription: retiring,
      handlers,
      processed,
    });
    consumers.push(consumer);
    await consumer.start();
    expect(await consumerNames()).toEqual([
      'notes-processor-events-JobCompleted',
      'videos-processor-events-JobCompleted',
      'videos-processor-events-JobFailed',
      'videos-processor-events-JobProgressed',
      'videos-processor-events-JobQueued',
      'videos-processor-events-JobSpendSettled',
    ]);
    // already gone (another replica deleted it first): nothing to do, no error
    await consumer.stop();
    await expect(consumer.start()).resolves.toBeUndefined();
  });

  it('refuses a handler map that does not match its subscription', () => {
    expect(() =>
      createSubscriptionConsumer({
        nc: js.nc,
        topology: js.topology,
        subscription: sub,
        handlers: { JobProgressed: handlers.JobProgressed } as unknown as typeof handlers,
        processed,
      }),
    ).toThrow(
      /handles \[JobProgressed\] but subscribes to \[JobProgressed, JobFailed, JobCompleted, JobSpendSettled\]/,
    );
  });

  const filter = (type: string) => `${js.topology.namespace}evt.processor.${type}`;

  it("starts the durable of a newly handled type after its siblings' ack floor, not at its first event", async () => {
    const history = await publish('JobProgressed'); // #1
    await publish('JobFailed'); // #2
    // the previous release handled only JobFailed, and has acknowledged #2
    await js.jsm.consumers.add(js.topology.eventsStream, {
      durable_name: `${sub.name}-JobFailed`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter('JobFailed'),
    });
    const previous = await js.nc.jetstream().consumers.get(js.topology.eventsStream, `${sub.name}-JobFailed`);
    for await (const m of await previous.fetch({ max_messages: 1, expires: 2000 })) {
      await processed.mark(sub.name, (codec.decode(m.data) as IntegrationEvent).id);
      await m.ackAck();
    }
    const pending = await publish('JobProgressed'); // #3, after what the subscription has got past
    await start();
    await waitFor(() => handled.length >= 1, { what: 'the pending JobProgressed' });
    await settle();
    expect(handled).toEqual([`JobProgressed:starting:${pending}`]);
    expect(handled.join()).not.toContain(history);
    const added = await js.jsm.consumers.info(js.topology.eventsStream, `${sub.name}-JobProgressed`);
    expect(added.config.opt_start_seq).toBe(3);
  });

  it('goes on with a durable another replica created first, from another start', async () => {
    await publish('JobProgressed'); // #1
    const second = await publish('JobProgressed'); // #2
    const durable = `${sub.name}-JobProgressed`;
    // the other replica's add lands between our look-up and our add (a rolling update, both migrating)
    const manager = js.nc.jetstreamManager.bind(js.nc);
    let raced = false;
    js.nc.jetstreamManager = async (opts) => {
      const jsm = await manager(opts);
      const add = jsm.consumers.add.bind(jsm.consumers);
      jsm.consumers.add = async (stream, config) => {
        if (config.durable_name === durable && !raced) {
          raced = true;
          await js.jsm.consumers.add(stream, {
            ...config,
            deliver_policy: DeliverPolicy.StartSequence,
            opt_start_seq: 2,
          });
        }
        return add(stream, config);
      };
      return jsm;
    };
    try {
      await start();
    } finally {
      js.nc.jetstreamManager = manager;
    }
    expect(raced).toBe(true);
    await waitFor(() => handled.length >= 1, { what: "the event after the winner's start" });
    await settle();
    expect(handled).toEqual([`JobProgressed:starting:${second}`]);
    expect((await js.jsm.consumers.info(js.topology.eventsStream, durable)).config.opt_start_seq).toBe(2);
  });

  it('leaves nothing consuming when one of its durables cannot be set up', async () => {
    // a durable JetStream will not turn into ours: the ack policy cannot change
    await js.jsm.consumers.add(js.topology.eventsStream, {
      durable_name: `${sub.name}-JobFailed`,
      ack_policy: AckPolicy.None,
      filter_subject: filter('JobFailed'),
    });
    const consumer = create();
    await expect(consumer.start()).rejects.toThrow();
    expect(consumer.running).toBe(false);
    await publish('JobProgressed');
    await settle();
    await settle();
    expect(handled).toEqual([]);
    expect(await deliveredTotal()).toBe(0);
  });

  it('replays only the dead letters of types it still handles, keeping the others', async () => {
    // what the old wildcard durable dead-lettered: a JobFailed, and a JobStarted nobody reads any more
    const letter = async (type: string) => {
      const event = { id: randomUUID(), type, version: 1, source: 'processor', stream: `job-${videoId}` };
      const h = headers();
      h.set(HEADER.originalSubject, filter(type));
      h.set(HEADER.consumer, sub.name);
      h.set(HEADER.error, 'bug');
      h.set(HEADER.deliveries, '5');
      const body = { ...event, occurredAt: now(), data: payloads[type], metadata: {} };
      await js.nc.jetstream().publish(deadLetterSubject(js.topology, sub.name), codec.encode(body), { headers: h });
      return event.id;
    };
    const failed = await letter('JobFailed');
    await letter('JobStarted');
    await start();
    const subjects = subscribedSubjects(js.topology, sub.name);
    expect(subjects).toEqual([
      filter('JobProgressed'),
      filter('JobFailed'),
      filter('JobCompleted'),
      filter('JobSpendSettled'),
    ]);
    const result = await replayDeadLetters(js.nc, js.topology, sub.name, { subjects });
    expect(result.replayed).toBe(1);
    expect(result.skipped.map((l) => l.originalSubject)).toEqual([filter('JobStarted')]);
    await waitFor(() => handled.length >= 1, { what: 'the replayed JobFailed' });
    expect(handled).toEqual([`JobFailed:starting:${failed}`]);
    const left = await listDeadLetters(js.nc, js.topology, sub.name);
    expect(left.map((l) => l.originalSubject)).toEqual([filter('JobStarted')]);
  });

  describe('migrating an old wildcard durable', () => {
    let ids: Record<string, string>;

    /**
     * The old consumer `videos-processor-events` on `evt.processor.>` acknowledged
     * #1, #2 and (out of order) #4, and never saw #5-#7 handled: its ack floor is #2.
     */
    beforeEach(async () => {
      await js.jsm.consumers.add(js.topology.eventsStream, {
        durable_name: sub.name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `${js.topology.namespace}evt.processor.>`,
      });
      ids = {
        acked1: await publish('JobProgressed'),
        acked2: await publish('JobFailed'),
        unacked3: await publish('JobFailed'),
        acked4: await publish('JobProgressed'),
        legacy5: await publish('JobStarted'),
        unhandled6: await publish('JobStarted'),
        unacked7: await publish('JobProgressed'),
      };
      const old = await js.nc.jetstream().consumers.get(js.topology.eventsStream, sub.name);
      const batch = await old.fetch({ max_messages: 4, expires: 2000 });
      for await (const m of batch) {
        if (m.seq === 3) continue; // delivered, in flight when the old version stopped
        await processed.mark(sub.name, (codec.decode(m.data) as IntegrationEvent).id);
        await m.ackAck();
        if (m.seq === 4) break;
      }
      const info = await js.jsm.consumers.info(js.topology.eventsStream, sub.name);
      expect(info.ack_floor.stream_seq).toBe(2);
    });

    const expected = () => [`JobFailed:starting:${ids.unacked3}`, `JobProgressed:starting:${ids.unacked7}`].sort();

    it('hands exactly the unacknowledged handled-type events to the handlers, once, and removes the old durable', async () => {
      await start();
      await waitFor(() => handled.length >= 2, { what: 'the two unacknowledged events' });
      const later = await publish('JobProgressed');
      await waitFor(() => handled.length >= 3, { what: 'an event published after the migration' });
      await settle();
      expect(handled.sort()).toEqual([...expected(), `JobProgressed:starting:${later}`].sort());
      // resumed after the old ack floor (#3 on): #3 JobFailed; #4 (dropped as processed), #7, the later one JobProgressed
      expect(await deliveredTotal()).toBe(4);
      expect(await consumerNames()).toEqual([
        'videos-processor-events-JobCompleted',
        'videos-processor-events-JobFailed',
        'videos-processor-events-JobProgressed',
        'videos-processor-events-JobSpendSettled',
      ]);
      // a restart after the migration resumes where each durable is: JetStream delivers nothing again
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      await start();
      await settle();
      expect(await deliveredTotal()).toBe(4);
      expect(handled).toHaveLength(3);
    });

    it('finishes a migration that crashed after creating a new durable, keeping it', async () => {
      // what the crashed attempt left: one new durable created from the old ack floor, the old one still there
      const kept = await js.jsm.consumers.add(js.topology.eventsStream, {
        durable_name: `${sub.name}-JobProgressed`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: 3,
        filter_subject: `${js.topology.namespace}evt.processor.JobProgressed`,
      });
      await start();
      await waitFor(() => handled.length >= 2, { what: 'the two unacknowledged events' });
      await settle();
      expect(handled.sort()).toEqual(expected());
      const after = await js.jsm.consumers.info(js.topology.eventsStream, `${sub.name}-JobProgressed`);
      expect(after.created).toBe(kept.created);
      expect(await consumerNames()).not.toContain(sub.name);
    });
  });
});
