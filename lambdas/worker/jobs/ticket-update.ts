import type * as z from 'zod/mini';
import type { TicketUpdateJob } from '../../shared/contracts/work-job';
import { applyTicketChange } from '../../shared/tickets/apply-ticket-change';
import { snowflakeTime } from '../../shared/tickets/live-log';
import { appendToTrail, trailEventFor } from '../../shared/tickets/trail';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/** `ticket.update` → claim / priority re-rendered, members / roles / name changed; the reply tells the ticket. */
export function updateTicket(job: z.infer<typeof TicketUpdateJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  return runInteractionJob('ticket.update', job.ctx, attempt, deps, async () => {
    const reply = await applyTicketChange(job.guildId, job.number, job.change, job.ctx.userId, deps);
    // The trail keeps what the row does not (who claimed before, members added): the transcript shows it.
    // Its time is the action's (the interaction id is a snowflake: when staff pressed), not this
    // job's, which may run later or again; the priority is the one set, not the row's by then.
    const priority = job.change.kind !== 'priority' ? undefined : (job.change.level ?? (await deps.tickets.getTicket(job.guildId, job.number))?.priority);
    await appendToTrail(deps.trail, trailEventFor(job.change, { guildId: job.guildId, number: job.number, priority }, job.ctx.userId, snowflakeTime(job.ctx.interactionId)), deps.log);
    return reply;
  });
}
