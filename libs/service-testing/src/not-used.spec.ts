import { notUsed } from './not-used';

describe('notUsed', () => {
  it('fails on any use, naming the dependency and the member', () => {
    const queries = notUsed<{ profile(id: string): Promise<unknown> }>('UsersQueries');
    expect(() => queries.profile('u-1')).toThrow('UsersQueries.profile was used');
  });

  it('is not mistaken for a promise when stored or awaited', async () => {
    const dependency = notUsed<object>('Projector');
    await expect(Promise.resolve(dependency)).resolves.toBe(dependency);
  });
});
