import { randomUUID } from 'node:crypto';
import { createMemoryEventStore, handleCommand, upcastingEventStore } from '@study-buddy/event-store';
import { accountDecider, accountStream } from './account.decider';
import { billingUpcasters, ORPHANED_REASON } from './account.upcasters';

/** Ledgers written before CreditReleased v2 (no `cause`) read as v2, so old releases keep their meaning. */
describe('CreditReleased v1 → v2', () => {
  const userId = randomUUID();
  const now = new Date().toISOString();

  async function ledgerWithV1Release(videoId: string, reason: string) {
    const raw = createMemoryEventStore();
    const at = { metadata: { schemaVersion: 1 } };
    await raw.appendToStream(
      accountStream(userId),
      [
        { type: 'AccountOpened', data: { userId, openedAt: now }, ...at },
        { type: 'CreditsGranted', data: { userId, amount: 3, reason: 'signup', grantedAt: now }, ...at },
        { type: 'CreditReserved', data: { userId, videoId, amount: 1, reservedAt: now }, ...at },
        // exactly as the previous code stored it: version 1, no cause
        { type: 'CreditReleased', data: { userId, videoId, amount: 1, reason, releasedAt: now }, ...at },
      ],
      { expectedRevision: 'no_stream' },
    );
    return upcastingEventStore(raw, billingUpcasters);
  }

  it('reads a sweeper release as orphaned: the late video is charged on completion', async () => {
    const videoId = randomUUID();
    const store = await ledgerWithV1Release(videoId, ORPHANED_REASON);
    const [release] = (await store.readStream(accountStream(userId))).slice(-1);
    expect(release.data).toMatchObject({ cause: 'orphaned' });
    expect(release.metadata.schemaVersion).toBe(2);
    const result = await handleCommand(store, accountStream(userId), accountDecider, {
      type: 'CaptureCredit',
      userId,
      videoId,
      now,
    });
    expect(result.newEvents.map((e) => e.type)).toEqual(['CreditReserved', 'CreditCaptured']);
  });

  it('reads a failed video’s release as processing_failed: never charged again', async () => {
    const videoId = randomUUID();
    const store = await ledgerWithV1Release(videoId, 'processing failed: No captions');
    const [release] = (await store.readAll()).slice(-1);
    expect(release.data).toMatchObject({ cause: 'processing_failed' });
    const result = await handleCommand(store, accountStream(userId), accountDecider, {
      type: 'CaptureCredit',
      userId,
      videoId,
      now,
    });
    expect(result.newEvents).toEqual([]);
  });
});
