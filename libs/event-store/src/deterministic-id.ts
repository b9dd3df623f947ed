import { createHash } from 'node:crypto';

const NAMESPACE = Buffer.from('6f1c1b8e4f0a4d2c9a8e3b5d7c9e1f20', 'hex');

/**
 * A name-based (v5) uuid: the same name always gives the same id. Used for ids
 * that must not change on retry: a user's video for one YouTube video, the
 * events a handler emits for one incoming event.
 */
export function deterministicId(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
