import type * as z from 'zod/mini';
import type { TicketUpdateJob } from '../../shared/contracts/work-job';
import { applyTicketChange } from '../../shared/tickets/apply-ticket-change';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/** `ticket.update` → claim / priority re-rendered, members / roles / name changed; the reply tells the ticket. */
export function updateTicket(job: z.infer<typeof TicketUpdateJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  return runInteractionJob('ticket.update', job.ctx, attempt, deps, () => applyTicketChange(job.guildId, job.number, job.change, job.ctx.userId, deps));
}
