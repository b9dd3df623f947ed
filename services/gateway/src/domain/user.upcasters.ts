import { GatewayEvents } from '@study-buddy/contracts';
import { createUpcasterRegistry, Upcaster } from '@study-buddy/event-store';

/**
 * UserRegistered v1 → v2: v1 left `name` out when the user gave none; v2
 * always carries it (null for none), so readers stop guessing between a
 * missing field and an empty one. Users registered before v2 keep their v1
 * events in the store and are read as v2.
 */
export const userRegisteredV1ToV2: Upcaster = {
  type: 'UserRegistered',
  fromVersion: 1,
  upcast: (data) => {
    const v1 = data as { name?: string };
    return { ...v1, name: v1.name ?? null };
  },
};

export const gatewayUpcasters = createUpcasterRegistry(GatewayEvents, [userRegisteredV1ToV2]);
