import type * as z from 'zod/mini';
import type { TicketsRescheduleJob } from '../../shared/contracts/work-job';
import { rescheduleOpenTickets } from '../../shared/tickets/auto-close';
import type { WorkerDeps } from '../types';

/** `tickets.reschedule` (auto-close settings changed) → the guild's open tickets placed in the due index again. */
export async function rescheduleTickets(job: z.infer<typeof TicketsRescheduleJob>, deps: WorkerDeps): Promise<void> {
  const changed = await rescheduleOpenTickets(job, deps);
  deps.log.info('open tickets rescheduled', { guildId: job.guildId, after: job.after ?? null, changed });
}
