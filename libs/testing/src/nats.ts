import { randomBytes } from 'node:crypto';

export function testNatsUrl(): string {
  return process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
}

/** A subject/stream namespace per test run: `t1a2b3c4.` prefixes subjects, `T1A2B3C4_` prefixes streams. */
export function uniqueNamespace(): { subjects: string; streams: string } {
  const id = randomBytes(4).toString('hex');
  return { subjects: `t${id}.`, streams: `T${id.toUpperCase()}_` };
}
