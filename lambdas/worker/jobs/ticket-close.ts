import type * as z from 'zod/mini';
import type { TicketCloseJob } from '../../shared/contracts/work-job';
import { UserError } from '../../shared/errors';
import { finishClose, scheduleArchive } from '../../shared/tickets/close-ticket';
import { ticketLabel, userMention } from '../../shared/tickets/messages';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/**
 * `ticket.close` → everything after the row closed (notice, log, feedback DM, transcript
 * hand-over, delayed archive); the confirmation or close request becomes the outcome, without buttons.
 */
export async function closeTicket(job: z.infer<typeof TicketCloseJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  await runInteractionJob('ticket.close', job.ctx, attempt, deps, async () => {
    const ticket = await deps.tickets.getTicket(job.guildId, job.number);
    if (!ticket) throw new UserError('This ticket no longer exists.');
    if (ticket.status !== 'closed') throw new UserError(`Ticket ${ticketLabel(ticket)} was reopened before it finished closing.`);
    await finishClose(ticket, job.source, deps);
    const content = job.source === 'request' ? `✅ ${userMention(ticket.openerId)} agreed to close this ticket.` : `🔒 Ticket ${ticketLabel(ticket)} is closed.`;
    return { content, embeds: [], components: [] };
  });
  // Only now, with the answer shown (a close request's message lives in the thread), the archive.
  // Also after a redelivery of a job already done: the archive job is idempotent.
  const ticket = await deps.tickets.getTicket(job.guildId, job.number);
  if (ticket?.status === 'closed') await scheduleArchive(ticket, deps);
}
