import type * as z from 'zod/mini';
import type { TicketOpenJob } from '../../shared/contracts/work-job';
import { channelLink, ticketLabel } from '../../shared/tickets/messages';
import { provisionTicket } from '../../shared/tickets/provision-ticket';
import { telemetryCategoryRef } from '../../shared/telemetry/category-ref';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/**
 * `ticket.open` → thread/channel + welcome message, then the opener's deferred reply becomes a
 * link. If every attempt fails, a reservation without a channel is undone (nothing half-made);
 * one whose channel exists stays in the DLQ, where a replay finishes it (each step is idempotent).
 */
export function openTicket(job: z.infer<typeof TicketOpenJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  return runInteractionJob(
    'ticket.open',
    job.ctx,
    attempt,
    deps,
    async () => {
      const { ticket, channelId } = await provisionTicket(job.guildId, job.number, job.note, deps);
      deps.telemetry.capture({ event: 'ticket_opened', guildId: job.guildId, properties: { category_id: telemetryCategoryRef(deps.telemetryKey, job.guildId, ticket.categoryId), mode: ticket.mode } });
      return { content: `Your ticket ${ticketLabel(ticket)} is ready: ${channelLink(channelId)}` };
    },
    {
      onGiveUp: async () => {
        const ticket = await deps.tickets.getTicket(job.guildId, job.number);
        if (ticket && ticket.status === 'opening' && !ticket.channelId) await deps.tickets.abandonTicket(ticket, null);
      },
    },
  );
}
