import type { Clock } from '../clock';
import { SWEEP_BATCH, dueSweep, type Sweep } from '../domain/sweeps';
import { isUserError } from '../errors';
import type { WorkQueue } from '../ports/work-queue';
import { safeError } from '../safe-error';
import { channelLink, ticketLabel, userMention } from './messages';
import type { TicketStore } from './ports';
import { provisionTicket, type ProvisionDeps } from './provision-ticket';
import { logToStaff } from './staff-log';

/** Repairs are retried this often, this many times, before the ticket is opened without its welcome. */
export const REPAIR_INTERVAL_MS = 15 * 60_000;
export const MAX_REPAIRS = 4;

export interface RepairSweepDeps {
  tickets: TicketStore;
  workQueue: WorkQueue;
  log: { error(msg: string, extra: Record<string, unknown>): void };
}

/**
 * Finds reservations whose opening never finished — every worker attempt failed after the
 * channel was made (e.g. Discord refused the welcome message) — and hands each to the worker
 * again. Reads only due items (`DUE#provision`); a claim moves the due time first, so two
 * overlapping sweeps never enqueue the same repair twice.
 */
export function repairSweep(deps: RepairSweepDeps): Sweep {
  return dueSweep(
    'ticket-repair',
    (now) => deps.tickets.dueRepairs(now, SWEEP_BATCH),
    async (item, now) => {
      const attempt = await deps.tickets.claimRepair(item.guildId, item.number, item.dueAt, now + REPAIR_INTERVAL_MS);
      if (attempt === null) return false;
      await deps.workQueue.enqueue({ type: 'ticket.repair', guildId: item.guildId, number: item.number, attempt });
      return true;
    },
    (item, err) => deps.log.error('could not schedule a ticket repair', { guildId: item.guildId, number: item.number, error: safeError(err) }),
  );
}

/**
 * The worker's repair: finish opening (each step skips what is done). A refusal from Discord rolls
 * the open back (never retried: a refusal does not heal by waiting); a reservation that never got
 * a channel is undone. After the last attempt a ticket whose channel exists is opened without its
 * welcome message and the staff are told, so its slot and channel are never left in limbo.
 */
export async function repairTicket(guildId: string, number: number, attempt: number, deps: ProvisionDeps & { clock: Clock }): Promise<'opened' | 'abandoned' | 'gave_up' | 'nothing'> {
  const ticket = await deps.tickets.getTicket(guildId, number);
  if (!ticket || ticket.status !== 'opening') return 'nothing';
  try {
    await provisionTicket(guildId, number, null, deps);
    return 'opened';
  } catch (err) {
    // Discord refused a step: provisionTicket rolled the open back (channel, row, slots) and told the staff.
    if (isUserError(err)) return 'abandoned';
    if (attempt < MAX_REPAIRS) throw err;
    const settings = await deps.tickets.getSettings(guildId);
    if (!ticket.channelId) {
      await deps.tickets.abandonTicket(ticket, null);
      return 'abandoned';
    }
    await deps.tickets.markOpen(ticket, null, deps.clock.now());
    if (settings) {
      await logToStaff(settings, `⚠️ Ticket ${ticketLabel(ticket)} of ${userMention(ticket.openerId)} is open in ${channelLink(ticket.channelId)}, but Deskwire could not post its welcome message. Check the bot's permissions there.`, deps);
    }
    return 'gave_up';
  }
}
