import type * as z from 'zod/mini';
import type { TicketAutoCloseJob } from '../../shared/contracts/work-job';
import { runAutoCloseStep } from '../../shared/tickets/auto-close';
import { runOnce } from '../run-once';
import type { WorkerDeps } from '../types';

/**
 * `ticket.auto-close` from the sweeper → the warning posted, or the ticket closed. There is no
 * interaction to answer; the job is made idempotent by its own ledger key (one per step and idle
 * period), so a redelivered or re-queued job never posts twice.
 */
export async function autoCloseTicket(job: z.infer<typeof TicketAutoCloseJob>, deps: WorkerDeps): Promise<void> {
  await runOnce(`auto-close:${job.step}:${job.guildId}:${job.number}:${job.lastActivityAt}`, deps, async () => {
    const outcome = await runAutoCloseStep(job, deps);
    deps.log.info('auto-close step', { guildId: job.guildId, number: job.number, step: job.step, outcome });
  });
}
