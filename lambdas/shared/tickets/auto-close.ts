import { HOUR_MS, type Clock } from '../clock';
import { buildCustomId } from '../custom-id';
import { ButtonStyle, ComponentKind } from '../discord-constants';
import { SWEEP_BATCH, sweepEach, type Sweep } from '../domain/sweeps';
import type { MessageBody } from '../ports/discord';
import type { WorkQueue } from '../ports/work-queue';
import { safeError } from '../safe-error';
import { autoCloseStep } from './auto-close-schedule';
import { finishClose, isGoneChannel, scheduleArchive, type TicketEffectsDeps } from './close-ticket';
import { relativeTime, userMention } from './messages';
import type { GuildSettings, Ticket } from './model';
import type { TicketStore } from './ports';

/**
 * Auto-close: a ticket idle for `autoCloseHours` is closed, after a warning in the ticket
 * `autoCloseWarnHours` before. Each open ticket carries its next step's time in the `ByDue` index
 * (`DUE#autoclose`), set at open and moved by activity (`TicketStore.touchTicket`).
 *
 * The sweep reads only due tickets, decides with the current settings (`autoCloseStep`), and hands
 * warnings and closes to the worker (which has Discord access) as `ticket.auto-close` jobs. While
 * a job is out, the ticket's due time is held `AUTO_CLOSE_RETRY_MS` ahead, so the next sweep does
 * not queue it again, and a lost job is retried after that.
 */
export const AUTO_CLOSE_RETRY_MS = 15 * 60_000;

export interface AutoCloseSweepDeps {
  tickets: TicketStore;
  workQueue: WorkQueue;
  log: { error(msg: string, extra: Record<string, unknown>): void };
}

export function autoCloseSweep(deps: AutoCloseSweepDeps): Sweep {
  const name = 'ticket-auto-close';
  return {
    name,
    async run(now) {
      const due = await deps.tickets.dueAutoCloses(now, SWEEP_BATCH);
      const settings = new Map<string, Promise<GuildSettings | null>>();
      const settingsOf = (guildId: string) => settings.get(guildId) ?? settings.set(guildId, deps.tickets.getSettings(guildId)).get(guildId)!;
      return sweepEach(
        name,
        due,
        async (item) => {
          const ticket = await deps.tickets.getTicket(item.guildId, item.number);
          const step = autoCloseStep(ticket, ticket ? await settingsOf(item.guildId) : null, now);
          if (step.kind === 'none' || step.kind === 'wait') {
            // Closed, auto-close turned off, or activity / a changed setting moved the time.
            return deps.tickets.rescheduleAutoClose(item.guildId, item.number, item.dueAt, step.kind === 'wait' ? step.dueAt : null);
          }
          if (!(await deps.tickets.rescheduleAutoClose(item.guildId, item.number, item.dueAt, now + AUTO_CLOSE_RETRY_MS))) return false;
          await deps.workQueue.enqueue({ type: 'ticket.auto-close', guildId: item.guildId, number: item.number, step: step.kind, lastActivityAt: ticket!.lastActivityAt });
          return true;
        },
        (item, err) => deps.log.error('auto-close failed for a ticket', { guildId: item.guildId, number: item.number, error: safeError(err) }),
      );
    },
  };
}

/** The warning in an idle ticket, with a button that counts as activity. */
export function autoCloseWarning(ticket: Ticket, idleHours: number, closeAt: number): MessageBody {
  return {
    content: `⏰ ${userMention(ticket.openerId)}, this ticket has had no activity for ${idleHours} hours. It will be closed automatically ${relativeTime(closeAt)} unless someone keeps it open.`,
    components: [
      {
        type: ComponentKind.ActionRow,
        components: [{ type: ComponentKind.Button, style: ButtonStyle.Primary, label: 'Keep it open', custom_id: buildCustomId('ticket-keep', String(ticket.number)) }],
      },
    ] as MessageBody['components'],
    allowed_mentions: { users: [ticket.openerId] },
  };
}

/**
 * The worker's half of one `ticket.auto-close` job: post the warning, or close — only if the
 * ticket still had no activity since the sweep saw it (otherwise activity already moved it).
 *
 * Retries never duplicate: the warning is claimed in the row before it is posted, so it is posted
 * at most once (an attempt that dies after the post leaves it claimed), and a retry of a job that
 * already closed the row — a close, or a warning whose thread or channel was gone — finishes that
 * close instead of stopping at "already closed".
 */
export async function runAutoCloseStep(
  job: { guildId: string; number: number; step: 'warn' | 'close'; lastActivityAt: number },
  deps: TicketEffectsDeps,
): Promise<'warned' | 'closed' | 'skipped'> {
  const ticket = await deps.tickets.getTicket(job.guildId, job.number);
  if (!ticket || ticket.lastActivityAt !== job.lastActivityAt) return 'skipped';
  // Closed automatically in this idle period and not archived yet: an earlier attempt closed it.
  if (ticket.status === 'closed' && ticket.closedBy === null && !ticket.archivingAt && !ticket.archivedAt) {
    await finishClose(ticket, 'auto', deps);
    await scheduleArchive(ticket, deps);
    return 'closed';
  }
  const settings = await deps.tickets.getSettings(job.guildId);
  const now = deps.clock.now();
  const step = autoCloseStep(ticket, settings, now);
  // Anything else (a changed setting, a worker running late) is decided again by the next sweep.
  if (step.kind !== job.step || !settings?.autoCloseHours) return 'skipped';
  if (step.kind === 'warn' && ticket.channelId) {
    if (!(await deps.tickets.markAutoCloseWarned(job.guildId, job.number, job.lastActivityAt, now, step.closeAt))) return 'skipped';
    try {
      await deps.discord.postMessage(ticket.channelId, autoCloseWarning(ticket, Math.floor((now - ticket.lastActivityAt) / HOUR_MS), step.closeAt));
      return 'warned';
    } catch (err) {
      // Nobody can be warned in a thread or channel that no longer exists: close it now.
      if (!isGoneChannel(err)) {
        // Not retried: the post may have gone through (a timeout), and a refusal would refuse
        // again. The warning stays claimed, so the ticket still closes on time, with its notice.
        deps.log.warn('could not post the auto-close warning', { guildId: job.guildId, number: job.number, error: safeError(err) });
        return 'warned';
      }
    }
  }
  const closed = await deps.tickets.closeTicket(ticket, { closedBy: null, reason: `No activity for ${settings.autoCloseHours} hours`, now, expectLastActivityAt: job.lastActivityAt });
  if (!closed) return 'skipped';
  await finishClose(closed, 'auto', deps);
  await scheduleArchive(closed, deps);
  return 'closed';
}

/** Pages (of up to 100 tickets read) one reschedule job handles before a follow-up job takes over. */
const RESCHEDULE_PAGES = 20;

/**
 * After the guild's auto-close settings changed (`tickets.reschedule`): every open ticket's due
 * time from its own last activity — a ticket opened while auto-close was off has none, and one in
 * the index may now be due much later or sooner. Reads the guild's tickets with a Query on its
 * partition (never a Scan); a large guild continues in follow-up jobs. Safe to repeat.
 */
export async function rescheduleOpenTickets(job: { guildId: string; after?: number }, deps: { tickets: TicketStore; workQueue: WorkQueue; clock: Clock }): Promise<number> {
  const settings = await deps.tickets.getSettings(job.guildId);
  const now = deps.clock.now();
  let after = job.after ?? null;
  let changed = 0;
  for (let page = 0; page < RESCHEDULE_PAGES; page++) {
    const { tickets, next } = await deps.tickets.openTickets(job.guildId, after);
    for (const ticket of tickets) {
      const step = autoCloseStep(ticket, settings, now);
      // Due already: the next sweep decides it like any due ticket (one it holds keeps its time).
      const dueAt = step.kind === 'none' ? null : step.kind === 'wait' ? step.dueAt : (ticket.dueAt ?? now);
      if (dueAt !== ticket.dueAt && (await deps.tickets.scheduleAutoClose(job.guildId, ticket.number, ticket.lastActivityAt, dueAt))) changed++;
    }
    if (next === null) return changed;
    after = next;
  }
  await deps.workQueue.enqueue({ type: 'tickets.reschedule', guildId: job.guildId, after: after! });
  return changed;
}
