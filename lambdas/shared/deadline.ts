import { DeadlineExceededError } from './errors';

/**
 * `work`, or a {@link DeadlineExceededError} after `ms`. The timer is cleared either way, so it
 * never keeps an invocation (or a test) alive; the work itself is not cancelled.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
