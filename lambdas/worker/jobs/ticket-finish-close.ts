import type * as z from 'zod/mini';
import type { TicketFinishCloseJob } from '../../shared/contracts/work-job';
import { finishClose, scheduleArchive } from '../../shared/tickets/close-ticket';
import { runOnce } from '../run-once';
import type { WorkerDeps } from '../types';

/**
 * `ticket.finish-close` from the events λ → the close's effects (notice, log line, feedback DM,
 * transcript hand-over) and the delayed archive, once per close. A channel already deleted only
 * loses its notice; the archive job counts a gone channel as archived.
 */
export async function finishGatewayClose(job: z.infer<typeof TicketFinishCloseJob>, deps: WorkerDeps): Promise<void> {
  await runOnce(`finish-close:${job.guildId}:${job.number}:${job.closedAt}`, deps, async () => {
    const ticket = await deps.tickets.getTicket(job.guildId, job.number);
    // Reopened (or closed again) since: that close is someone else's to finish.
    if (ticket?.status !== 'closed' || ticket.closedAt !== job.closedAt) return;
    await finishClose(ticket, job.source, deps);
    await scheduleArchive(ticket, deps);
  });
}
