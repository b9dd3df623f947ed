import { createMemoryCheckpointStore, LeaderLock, leaderCheckpoint } from '../src';

/** The checkpoint of a loop only its leader runs: what it saves, and when it reads the saved one again. */
describe('leader checkpoint', () => {
  function setup(lazySaveMs: number) {
    const store = createMemoryCheckpointStore();
    const saves: bigint[] = [];
    let term = 1;
    const leader: LeaderLock = {
      acquire: async () => true,
      release: async () => undefined,
      get term() {
        return term;
      },
    };
    const checkpoint = leaderCheckpoint(
      { load: store.load, save: (name, position) => (saves.push(position), store.save(name, position)) },
      'relay',
      leader,
      { lazySaveMs },
    );
    return { store, saves, checkpoint, leadAnew: () => (term += 1) };
  }

  it('saves a batch that did work at once, and passes over the others in memory', async () => {
    const { saves, checkpoint } = setup(60_000);
    expect(await checkpoint.load()).toBe(0n);
    await checkpoint.reach(3n, true);
    await checkpoint.reach(5n, false);
    await checkpoint.reach(5n, false); // an empty batch
    expect(checkpoint.position).toBe(5n);
    expect(saves).toEqual([3n]);
    await checkpoint.reach(6n, true);
    expect(saves).toEqual([3n, 6n]);
  });

  it('saves what it passed over once the last save is old enough, even from an empty batch', async () => {
    const { saves, checkpoint } = setup(0);
    await checkpoint.load();
    await checkpoint.reach(2n, false);
    await checkpoint.reach(2n, false); // nothing new since: nothing to save
    expect(saves).toEqual([2n]);
  });

  it('reads the saved checkpoint again when it leads anew, and flushes only in the term it loaded', async () => {
    const { store, saves, checkpoint, leadAnew } = setup(60_000);
    await checkpoint.load();
    await checkpoint.reach(4n, false);
    await checkpoint.flush();
    expect(saves).toEqual([4n]);
    await checkpoint.reach(7n, false);
    // another replica led meanwhile and saved further
    await store.save('relay', 9n);
    leadAnew();
    await checkpoint.flush(); // not loaded in this term: it must not move the checkpoint back
    expect(saves).toEqual([4n]);
    expect(await checkpoint.load()).toBe(9n);
    expect(checkpoint.position).toBe(9n);
    // after a failed batch, where it stopped is what was saved
    await checkpoint.reach(11n, false);
    checkpoint.forget();
    expect(await checkpoint.load()).toBe(9n);
  });
});
