import type * as z from 'zod/mini';
import type { TicketOpenerLeftJob } from '../../shared/contracts/work-job';
import { bestEffort } from '../../shared/tickets/close-ticket';
import { openerLeftLogLine, openerLeftNotice } from '../../shared/tickets/opener-left';
import { logToStaff } from '../../shared/tickets/staff-log';
import { runOnce } from '../run-once';
import type { WorkerDeps } from '../types';

/** `ticket.opener-left` from the events λ (the `flag` setting) → a note in the ticket and in the staff log, once. */
export async function flagOpenerLeft(job: z.infer<typeof TicketOpenerLeftJob>, deps: WorkerDeps): Promise<void> {
  await runOnce(`opener-left:${job.guildId}:${job.number}:${job.leftAt}`, deps, async () => {
    const ticket = await deps.tickets.getTicket(job.guildId, job.number);
    if (ticket?.status !== 'open' || ticket.openerLeftAt !== job.leftAt) return;
    const channelId = ticket.channelId;
    if (channelId) await bestEffort('post the opener-left note', deps, () => deps.discord.postMessage(channelId, openerLeftNotice(ticket)));
    const settings = await deps.tickets.getSettings(job.guildId);
    if (settings) await logToStaff(settings, openerLeftLogLine(ticket), deps);
  });
}
