import type * as z from 'zod/mini';
import type { TicketArchiveJob } from '../../shared/contracts/work-job';
import { archiveClosedTicket } from '../../shared/tickets/close-ticket';
import type { WorkerDeps } from '../types';

/** `ticket.archive`, delivered after the close delay → thread locked + archived, or channel deleted. */
export async function archiveTicket(job: z.infer<typeof TicketArchiveJob>, deps: WorkerDeps): Promise<void> {
  const outcome = await archiveClosedTicket(job, deps);
  deps.log.info('ticket archive', { guildId: job.guildId, number: job.number, outcome });
}
