// `npm run deadletters -- list <consumer>` / `npm run deadletters -- replay <consumer>`
// Inspects or replays the events a consumer gave up on (see libs/messaging). Reads NATS_URL,
// MESSAGING_NAMESPACE and DEADLETTER_STREAM like the services do.
import {
  connectNats,
  defaultTopology,
  listDeadLetters,
  replayDeadLetters,
  subscribedSubjects,
} from '@study-buddy/messaging';

async function main() {
  const [command, consumer] = process.argv.slice(2);
  if (!['list', 'replay'].includes(command ?? '') || !consumer) {
    console.error('usage: npm run deadletters -- list|replay <consumer>   (e.g. videos-processor-events)');
    process.exit(2);
  }
  const nc = await connectNats({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'deadletters-cli' });
  const topology = defaultTopology({
    namespace: process.env.MESSAGING_NAMESPACE ?? '',
    eventsStream: process.env.EVENTS_STREAM ?? 'EVENTS',
    deadLetterStream: process.env.DEADLETTER_STREAM ?? 'DEADLETTER',
  });
  try {
    if (command === 'list') {
      const letters = await listDeadLetters(nc, topology, consumer, 1000);
      for (const l of letters)
        console.log(`#${l.sequence} ${l.originalSubject} after ${l.deliveries} deliveries: ${l.error}`);
      console.log(`${letters.length} dead letter(s) for ${consumer}`);
    } else {
      // only to subjects the consumer still reads: a letter for a type it dropped would reach nobody
      const subjects = subscribedSubjects(topology, consumer);
      if (!subjects) throw new Error(`${consumer} is no subscription in SUBSCRIPTIONS: nothing replayed`);
      const { replayed, skipped } = await replayDeadLetters(nc, topology, consumer, { subjects });
      for (const l of skipped)
        console.warn(`warning: kept #${l.sequence} ${l.originalSubject}: ${consumer} no longer handles that type`);
      console.log(`replayed ${replayed} dead letter(s) to ${consumer}, kept ${skipped.length}`);
    }
  } finally {
    await nc.close();
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
