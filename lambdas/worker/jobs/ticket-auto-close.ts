import type * as z from 'zod/mini';
import type { TicketAutoCloseJob } from '../../shared/contracts/work-job';
import { RetryLaterError } from '../../shared/errors';
import { runAutoCloseStep } from '../../shared/tickets/auto-close';
import { LEASE_MS } from '../interaction-job';
import type { WorkerDeps } from '../types';

/**
 * `ticket.auto-close` from the sweeper → the warning posted, or the ticket closed. There is no
 * interaction to answer; the job is made idempotent by its own ledger key (one per step and idle
 * period), so a redelivered or re-queued job never posts twice.
 */
export async function autoCloseTicket(job: z.infer<typeof TicketAutoCloseJob>, deps: WorkerDeps): Promise<void> {
  const key = `auto-close:${job.step}:${job.guildId}:${job.number}:${job.lastActivityAt}`;
  const claim = await deps.ledger.claim(key, deps.clock.now(), LEASE_MS);
  if (claim.result === 'done') return;
  if (claim.result === 'busy') throw new RetryLaterError(`job ${key} is held by another attempt`);
  try {
    const outcome = await runAutoCloseStep(job, deps);
    deps.log.info('auto-close step', { guildId: job.guildId, number: job.number, step: job.step, outcome });
  } catch (err) {
    await deps.ledger.release(key, claim.owner);
    throw err;
  }
  await deps.ledger.complete(key, claim.owner, deps.clock.now());
}
