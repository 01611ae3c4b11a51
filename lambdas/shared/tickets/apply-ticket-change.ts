import type { TicketChange } from '../contracts/work-job';
import { DiscordActionError, UserError } from '../errors';
import { ChannelEditRateLimitedError, type MessageBody } from '../ports/discord';
import { telemetryCategoryRef } from '../telemetry/category-ref';
import { bestEffort, isGoneChannel, openerOverwrite, refreshWelcome, scheduleArchive, type TicketEffectsDeps } from './close-ticket';
import { channelLink, relativeTime, roleMention, ticketLabel, userMention } from './messages';
import type { Ticket } from './model';
import { MEMBER_ALLOW } from './provision-ticket';
import { logToStaff } from './staff-log';
import { priorityName } from './work-ticket';

const isUnknownMember = (err: unknown) => err instanceof DiscordActionError && err.discordCode === 10007;

async function requireTicket(guildId: string, number: number, deps: Pick<TicketEffectsDeps, 'tickets'>): Promise<Ticket & { channelId: string }> {
  const ticket = await deps.tickets.getTicket(guildId, number);
  if (!ticket?.channelId) throw new UserError('This ticket no longer exists.');
  return ticket as Ticket & { channelId: string };
}

/**
 * The worker's half of working a ticket: the row already holds the change (claim, priority), or
 * the change is Discord's only (members, roles, name). Returns the public reply in the ticket.
 */
export async function applyTicketChange(guildId: string, number: number, change: TicketChange, actorId: string, deps: TicketEffectsDeps): Promise<MessageBody> {
  const ticket = await requireTicket(guildId, number, deps);
  const actor = userMention(actorId);
  const { channelId } = ticket;
  // The row already holds claims and priorities: they stand even if the welcome message cannot
  // follow, and the public answer says so instead of an error contradicting the row.
  let stale = '';
  const refresh = async () => {
    try {
      await refreshWelcome(ticket, deps);
    } catch (err) {
      if (!(err instanceof DiscordActionError)) throw err;
      deps.log.warn('could not update the welcome message', { error: err.message });
      stale = `\n-# The welcome message could not be updated (${err.message}); it catches up with the next change.`;
    }
  };
  const say = (content: string): MessageBody => ({ content: content + stale, allowed_mentions: { parse: [] } });
  switch (change.kind) {
    case 'claim':
      await refresh();
      deps.telemetry.capture({ event: 'ticket_claimed', guildId, properties: { category_id: telemetryCategoryRef(deps.telemetryKey, guildId, ticket.categoryId), mode: ticket.mode } });
      return say(`🙋 ${actor} claimed this ticket and will help you from here.`);
    case 'unclaim':
      await refresh();
      return say(`${actor} unclaimed this ticket${change.previous === actorId ? '' : ` from ${userMention(change.previous)}`}; any staff member can pick it up.`);
    case 'transfer': {
      // In a private thread the new owner must be a member to see it at all. The row already names
      // them (the claim stands, as for claims): a refusal is said next to the transfer, with what to do.
      let notAdded = '';
      if (ticket.mode === 'thread') {
        await deps.discord.addThreadMember(channelId, change.to).catch((err: unknown) => {
          if (!(err instanceof DiscordActionError)) throw err;
          notAdded = `, but they could not be added to this thread: ${whyNotAdded(err)}`;
        });
      }
      await refresh();
      return say(`🔁 ${actor} transferred this ticket to ${userMention(change.to)}${notAdded || '.'}`);
    }
    case 'priority':
      await refresh();
      return say(`Priority set to **${priorityName(ticket.priority)}** by ${actor}.`);
    case 'member': {
      const who = userMention(change.userId);
      if (change.op === 'add') {
        if (ticket.mode === 'thread') await deps.discord.addThreadMember(channelId, change.userId);
        else await deps.discord.setOverwrite(channelId, { id: change.userId, type: 1, allow: String(MEMBER_ALLOW), deny: '0' }, `Added to ticket ${ticketLabel(ticket)}`);
        return say(`➕ ${actor} added ${who} to this ticket.`);
      }
      try {
        if (ticket.mode === 'thread') await deps.discord.removeThreadMember(channelId, change.userId);
        else await deps.discord.deleteOverwrite(channelId, change.userId, `Removed from ticket ${ticketLabel(ticket)}`);
      } catch (err) {
        if (isUnknownMember(err)) throw new UserError(`${who} is not in this ticket.`);
        throw err;
      }
      return say(`➖ ${actor} removed ${who} from this ticket.`);
    }
    case 'role': {
      const role = roleMention(change.roleId);
      if (change.op === 'add') {
        await deps.discord.setOverwrite(channelId, { id: change.roleId, type: 0, allow: String(MEMBER_ALLOW), deny: '0' }, `Role added to ticket ${ticketLabel(ticket)}`);
        return say(`➕ ${actor} gave ${role} access to this ticket.`);
      }
      await deps.discord.deleteOverwrite(channelId, change.roleId, `Role removed from ticket ${ticketLabel(ticket)}`);
      return say(`➖ ${actor} removed ${role}'s access to this ticket.`);
    }
    case 'rename':
      await deps.discord.modifyChannel(channelId, { name: change.name, reason: `Ticket ${ticketLabel(ticket)} renamed` }).catch((err: unknown) => {
        if (err instanceof ChannelEditRateLimitedError) {
          throw new UserError(`Discord allows two renames per channel every 10 minutes — try again ${relativeTime(deps.clock.now() + err.retryAfterMs)}.`);
        }
        throw err;
      });
      return say(`✏️ ${actor} renamed this ticket to **${change.name}**.`);
  }
}

/** Why a transferred-to staff member is not in the thread, and what to do about it. */
function whyNotAdded(err: DiscordActionError): string {
  switch (err.discordCode) {
    case 10007:
      return 'they are no longer in this server. Transfer the ticket to someone else.';
    case 30033:
      return 'the thread has reached Discord’s member limit. Remove someone with `/ticket remove`, then add them with `/ticket add`.';
    case 50013:
    case 50001:
      return 'Deskwire is missing a permission in this thread (`/status` shows which). Once it is fixed, add them with `/ticket add`.';
    default:
      return `${err.message} Add them with \`/ticket add\` once that is fixed.`;
  }
}

/**
 * The worker's half of reopening (the row is open again, slots re-taken, auto-close due):
 * unarchive + unlock the thread and re-add the opener, a notice, the buttons back, a log line.
 * If Discord refuses any of it (the thread or channel is gone, a permission is missing), the
 * ticket goes back to closed ({@link undoReopen}) and the staff member is told why: an open ticket
 * nobody can work in would hold the opener's slot for good.
 */
export async function finishReopen(guildId: string, number: number, actorId: string, deps: TicketEffectsDeps): Promise<MessageBody> {
  const ticket = await requireTicket(guildId, number, deps);
  const label = ticketLabel(ticket);
  if (ticket.status !== 'open') throw new UserError(`Ticket ${label} was closed again before it could be reopened.`);
  try {
    if (ticket.mode === 'thread') {
      await deps.discord.modifyChannel(ticket.channelId, { archived: false, locked: false, reason: `Ticket ${label} reopened` });
      // An opener who left the server is not added back; the ticket still reopens for staff.
      await deps.discord.addThreadMember(ticket.channelId, ticket.openerId).catch((err) => {
        if (!isUnknownMember(err)) throw err;
      });
    }
    await deps.discord.postMessage(ticket.channelId, { content: `🔓 ${userMention(ticket.openerId)}, ticket ${label} was reopened by ${userMention(actorId)}.`, allowed_mentions: { users: [ticket.openerId] } });
    // The close took Send Messages from the opener; the reopen gives it back last, so a reopen
    // failing before this leaves the closed channel read-only.
    if (ticket.mode === 'channel') await deps.discord.setOverwrite(ticket.channelId, openerOverwrite(ticket.openerId, 'open'), `Ticket ${label} reopened`);
  } catch (err) {
    if (!(err instanceof DiscordActionError)) throw err;
    await undoReopen(ticket, actorId, deps);
    throw new UserError(
      isGoneChannel(err)
        ? `The ${ticket.mode} of ticket ${label} no longer exists, so it cannot be reopened. Open a new ticket instead.`
        : `Ticket ${label} could not be reopened, so it stays closed: ${err.message}`,
    );
  }
  await bestEffort('update the welcome message', deps, () => refreshWelcome(ticket, deps));
  const settings = await deps.tickets.getSettings(guildId);
  if (settings) await logToStaff(settings, `🔓 Ticket ${label} (${channelLink(ticket.channelId)}) was reopened by ${userMention(actorId)}.`, deps);
  return { content: `🔓 Ticket ${label} is open again: ${channelLink(ticket.channelId)}`, allowed_mentions: { parse: [] } };
}

/**
 * A reopen that cannot be finished goes back to closed: the opener's and the category's slots are
 * released, a ticket channel is read-only for its opener again (best effort: the reopen may have
 * given Send Messages back before failing, e.g. a write applied whose answer was lost), and the
 * thread is locked (or the channel deleted) again after the close delay.
 */
export async function undoReopen(ticket: Ticket, actorId: string, deps: TicketEffectsDeps): Promise<void> {
  const closed = await deps.tickets.closeTicket(ticket, { closedBy: actorId, reason: 'It could not be reopened', now: deps.clock.now() });
  if (!closed) return;
  const { channelId } = closed;
  if (closed.mode === 'channel' && channelId) {
    await bestEffort('make the ticket channel read-only again', deps, () => deps.discord.setOverwrite(channelId, openerOverwrite(closed.openerId, 'closed'), `Ticket ${ticketLabel(closed)} could not be reopened`));
  }
  await scheduleArchive(closed, deps);
}
