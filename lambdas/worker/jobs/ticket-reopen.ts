import type * as z from 'zod/mini';
import type { TicketReopenJob } from '../../shared/contracts/work-job';
import { finishReopen, undoReopen } from '../../shared/tickets/apply-ticket-change';
import { appendToTrail } from '../../shared/tickets/trail';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/**
 * `ticket.reopen` → the thread unarchived and unlocked, the opener back in, the buttons back. A
 * reopen that fails on every attempt is undone (closed again, slots released): nothing half-made.
 */
export function reopenTicket(job: z.infer<typeof TicketReopenJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  return runInteractionJob('ticket.reopen', job.ctx, attempt, deps, async () => {
    const reply = await finishReopen(job.guildId, job.number, job.ctx.userId, deps);
    await appendToTrail(deps.trail, { guildId: job.guildId, number: job.number, at: deps.clock.now(), event: 'reopened', actorId: job.ctx.userId, details: {} }, deps.log);
    return reply;
  }, {
    onGiveUp: async () => {
      const ticket = await deps.tickets.getTicket(job.guildId, job.number);
      if (ticket?.status === 'open') await undoReopen(ticket, job.ctx.userId, deps);
    },
  });
}
