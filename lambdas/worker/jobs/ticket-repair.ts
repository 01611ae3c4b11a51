import type * as z from 'zod/mini';
import type { TicketRepairJob } from '../../shared/contracts/work-job';
import { repairTicket } from '../../shared/tickets/repair';
import type { WorkerDeps } from '../types';

/** `ticket.repair` → finish opening a stuck reservation (see `shared/tickets/repair.ts`). */
export async function repairStuckTicket(job: z.infer<typeof TicketRepairJob>, deps: WorkerDeps): Promise<void> {
  const outcome = await repairTicket(job.guildId, job.number, job.attempt, deps);
  deps.log.info('ticket repair', { guildId: job.guildId, number: job.number, attempt: job.attempt, outcome });
  if (outcome === 'opened') deps.telemetry.capture({ event: 'ticket_opened', guildId: job.guildId, properties: { repaired: true } });
}
