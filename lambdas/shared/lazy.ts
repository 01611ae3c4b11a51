/** Memoises an async factory: built on first call (cold start), shared afterwards; a failed build is retried next call. */
export function lazy<T>(factory: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= factory().catch((err) => {
      value = undefined;
      throw err;
    });
    return value;
  };
}
