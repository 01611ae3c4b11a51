import type * as z from 'zod/mini';
import type { TicketArchiveJob } from '../../shared/contracts/work-job';
import { RetryLaterError } from '../../shared/errors';
import { archiveClosedTicket } from '../../shared/tickets/close-ticket';
import type { WorkerDeps } from '../types';

/** `ticket.archive`, delivered after the close delay → thread locked + archived, or channel deleted. */
export async function archiveTicket(job: z.infer<typeof TicketArchiveJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  // A deleted channel takes its REST history with it: wait (backing off) while the transcript has
  // not read it yet, but never past the second-to-last attempt — the live log still stands then.
  if (attempt < deps.maxReceiveCount - 1) {
    const ticket = await deps.tickets.getTicket(job.guildId, job.number);
    if (ticket?.mode === 'channel' && ticket.closedAt === job.closedAt && (ticket.transcriptStatus === 'pending' || ticket.transcriptStatus === 'failed-retrying')) {
      throw new RetryLaterError(`ticket ${job.number}: its transcript has not read the channel yet`);
    }
  }
  const outcome = await archiveClosedTicket(job, deps);
  deps.log.info('ticket archive', { guildId: job.guildId, number: job.number, outcome });
}
