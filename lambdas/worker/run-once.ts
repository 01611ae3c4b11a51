import { RetryLaterError } from '../shared/errors';
import { LEASE_MS } from './interaction-job';
import type { WorkerDeps } from './types';

/**
 * Runs `work` once per `key` for jobs without an interaction (the ledger is what makes a
 * redelivered or re-queued job a no-op): claimed with a lease, completed after, released on
 * failure so the retry can take it. Another attempt holding it → retried later.
 */
export async function runOnce(key: string, deps: Pick<WorkerDeps, 'ledger' | 'clock'>, work: () => Promise<void>): Promise<void> {
  const claim = await deps.ledger.claim(key, deps.clock.now(), LEASE_MS);
  if (claim.result === 'done') return;
  if (claim.result === 'busy') throw new RetryLaterError(`job ${key} is held by another attempt`);
  try {
    await work();
  } catch (err) {
    await deps.ledger.release(key, claim.owner);
    throw err;
  }
  await deps.ledger.complete(key, claim.owner, deps.clock.now());
}
