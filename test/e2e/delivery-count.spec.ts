import { connect } from 'nats';
import { Pool } from 'pg';
import { SERVICES } from '@study-buddy/contracts';
import { waitFor } from '@study-buddy/testing';
import { startSystem, System } from './support/system';
import { photosynthesisLecture as lecture } from './support/lecture';

/**
 * Consumers are delivered only what their handlers act on. For one user and
 * one completed video: billing UserRegistered and VideoCompleted;
 * processor VideoSubmitted; notes JobCompleted; videos six JobProgressed (one
 * per pipeline step), JobCompleted (for the usage it carries with Claude) and NoteCreated.
 */
const ACTED_ON = { billing: 2, processor: 1, notes: 1, videos: 8, gateway: 0 };

describe('JetStream deliveries (system test)', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);
  afterAll(async () => system?.teardown(), 60_000);

  it('delivers each consumer exactly the events its handlers act on', async () => {
    const { client } = await system.api.registerUser('dee@example.com');
    const { body } = await client.post<{ video_id: string }>('/videos', {
      url: 'https://youtu.be/ddddddddd01',
      transcript: lecture,
    });
    await waitFor(
      async () => (await client.get<{ status: string }>(`/videos/${body.video_id}`)).body.status === 'completed',
      { timeoutMs: 60_000, what: 'the video to complete' },
    );
    await waitFor(async () => (await client.get<{ reserved: number }>('/credits')).body.reserved === 0, {
      what: 'billing to capture the credit',
    });

    const env = system.stack.env;
    const nc = await connect({ servers: env.NATS_URL });
    const pool = new Pool({ connectionString: env.DATABASE_URL, max: 1 });
    try {
      const jsm = await nc.jetstreamManager();
      const consumers = async () => {
        const all = [];
        for await (const c of jsm.consumers.list(env.EVENTS_STREAM!)) all.push(c);
        return all;
      };
      await waitFor(async () => (await consumers()).every((c) => c.num_pending === 0 && c.num_ack_pending === 0), {
        what: 'every consumer to be caught up',
      });
      const delivered = (await consumers()).reduce((sum, c) => sum + c.delivered.consumer_seq, 0);
      const actedOn: Record<string, number> = {};
      for (const service of SERVICES) {
        const { rows } = await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM "${env.DB_SCHEMA_PREFIX}${service}".processed_events`,
        );
        actedOn[service] = Number(rows[0].n);
      }
      process.stdout.write(`JetStream deliveries: ${delivered}, acted on: ${JSON.stringify(actedOn)}\n`);
      expect(actedOn).toEqual(ACTED_ON);
      expect(delivered).toBe(Object.values(ACTED_ON).reduce((a, b) => a + b, 0));
    } finally {
      await nc.close();
      await pool.end();
    }
  });
});
