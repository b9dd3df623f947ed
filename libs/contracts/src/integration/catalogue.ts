import { ServiceName, SERVICES } from '../subjects';
import { EventDefinition } from '../events/define-event';
import { INTEGRATION_EVENTS } from './published';
import { PUBLIC_FOR_CLIENTS, SUBSCRIPTIONS } from './subscriptions';

type Definitions = Record<ServiceName, Record<string, EventDefinition>>;
type Subscriptions = Record<ServiceName, Partial<Record<ServiceName, readonly string[]>>>;
type PublicTypes = Partial<Record<ServiceName, readonly string[]>>;

export interface PublicationRow {
  source: ServiceName;
  type: string;
  version: number;
  consumers: ServiceName[];
  publicForClients: boolean;
}

/** Per published event: who consumes it. */
export function publicationTable(
  published: Definitions = INTEGRATION_EVENTS,
  subscriptions: Subscriptions = SUBSCRIPTIONS,
  publicForClients: PublicTypes = PUBLIC_FOR_CLIENTS,
): PublicationRow[] {
  return SERVICES.flatMap((source) =>
    Object.values(published[source]).map((d) => ({
      source,
      type: d.type,
      version: d.version,
      consumers: SERVICES.filter((c) => subscriptions[c][source]?.includes(d.type)),
      publicForClients: publicForClients[source]?.includes(d.type) ?? false,
    })),
  );
}

/**
 * What is wrong with the catalogue: a consumer that handles a type its source
 * does not publish, or a published type nobody consumes that is not marked
 * public for clients. Empty when publishers and consumers agree.
 */
export function catalogueProblems(
  published: Definitions = INTEGRATION_EVENTS,
  subscriptions: Subscriptions = SUBSCRIPTIONS,
  publicForClients: PublicTypes = PUBLIC_FOR_CLIENTS,
): string[] {
  const problems: string[] = [];
  for (const consumer of SERVICES)
    for (const [source, types] of Object.entries(subscriptions[consumer]) as [ServiceName, readonly string[]][])
      for (const type of types)
        if (!Object.hasOwn(published[source], type))
          problems.push(`${consumer} handles ${source}.${type}, which ${source} does not publish`);
  for (const row of publicationTable(published, subscriptions, publicForClients))
    if (row.consumers.length === 0 && !row.publicForClients)
      problems.push(`${row.source} publishes ${row.type}, which nobody consumes (nor is it marked public for clients)`);
  return problems;
}
