import { allSettledOrThrow } from '../../lambdas/shared/all-settled';

describe('allSettledOrThrow', () => {
  it('rejects with the first failure only after every promise settled', async () => {
    const done: string[] = [];
    const slow = new Promise<void>((resolve) => setTimeout(() => resolve(void done.push('slow write')), 5));
    const result = allSettledOrThrow([Promise.reject(new Error('log write failed')), slow, Promise.reject(new Error('second'))]);
    await expect(result).rejects.toThrow('log write failed');
    expect(done).toEqual(['slow write']);
  });

  it('resolves when all succeed (or there is nothing to wait for)', async () => {
    await expect(allSettledOrThrow([Promise.resolve(1), Promise.resolve('x')])).resolves.toBeUndefined();
    await expect(allSettledOrThrow([])).resolves.toBeUndefined();
  });
});
