/**
 * Waits for every promise, then rejects with the first failure (in argument order) if any failed.
 * Unlike `Promise.all`, nothing is still running when it settles: a handler that reports failure
 * has no write left in flight behind it (Lambda freezes what is still pending once it returns).
 */
export async function allSettledOrThrow(promises: ReadonlyArray<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
