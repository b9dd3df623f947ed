import { z } from 'zod';
import { defineEvent } from '../events/define-event';
import { SERVICES } from '../subjects';
import { catalogueProblems, publicationTable } from './catalogue';
import { INTEGRATION_EVENTS } from './published';
import { durableName, subscription, SUBSCRIPTIONS } from './subscriptions';

describe('integration event catalogue', () => {
  it('publishes what is consumed, and consumes only what is published', () => {
    const table = publicationTable();
    // The publish → consume table, for whoever reads the test output.
    console.log(
      table.map((r) => `${r.source}.${r.type} v${r.version} → ${r.consumers.join(', ') || '(clients)'}`).join('\n'),
    );
    expect(catalogueProblems()).toEqual([]);
    expect(table.map((r) => [`${r.source}.${r.type}`, r.consumers])).toEqual([
      ['gateway.UserRegistered', ['billing']],
      ['videos.VideoSubmitted', ['processor']],
      ['videos.VideoCompleted', ['billing']],
      ['videos.VideoFailed', ['billing']],
      ['videos.VideoCancelled', ['processor', 'notes', 'billing']],
      ['videos.VideoDeleted', ['notes']],
      ['processor.JobProgressed', ['videos']],
      ['processor.JobCompleted', ['videos', 'notes']],
      ['processor.JobFailed', ['videos']],
      ['processor.JobSpendSettled', ['videos']],
      ['notes.NoteCreated', ['videos']],
      ['notes.NoteWithdrawn', ['videos']],
    ]);
  });

  it('names the types a consumer read in an earlier release, apart from those it reads now', () => {
    expect(subscription('billing', 'videos').retired).toEqual(['VideoSubmitted']);
    expect(subscription('billing', 'videos').types).not.toContain('VideoSubmitted');
    expect(subscription('processor', 'videos').retired).toEqual([]);
  });

  it('fails when a consumer handles a type nobody publishes', () => {
    const subscriptions = { ...SUBSCRIPTIONS, billing: { ...SUBSCRIPTIONS.billing, videos: ['VideoRefunded'] } };
    expect(catalogueProblems(INTEGRATION_EVENTS, subscriptions)).toContain(
      'billing handles videos.VideoRefunded, which videos does not publish',
    );
  });

  it('fails when a published type has no consumer, unless it is public for clients', () => {
    const published = {
      ...INTEGRATION_EVENTS,
      notes: { ...INTEGRATION_EVENTS.notes, NoteDeleted: defineEvent('NoteDeleted', 1, z.object({})) },
    };
    expect(catalogueProblems(published)).toEqual([
      'notes publishes NoteDeleted, which nobody consumes (nor is it marked public for clients)',
    ]);
    expect(catalogueProblems(published, SUBSCRIPTIONS, { notes: ['NoteDeleted'] })).toEqual([]);
  });

  it('names one logical consumer per service and source, read through one durable per type', () => {
    const processor = subscription('processor', 'videos');
    expect(processor).toMatchObject({ consumer: 'processor', name: 'processor-videos-events' });
    expect(processor.types.map((t) => durableName(processor.name, t))).toEqual([
      'processor-videos-events-VideoSubmitted',
      'processor-videos-events-VideoCancelled',
    ]);
    for (const consumer of SERVICES) expect(SUBSCRIPTIONS[consumer]).not.toHaveProperty(consumer);
  });
});
