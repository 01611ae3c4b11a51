import type { Clock } from '../clock';
import { ForbiddenError, UserError } from '../errors';
import { roleMention, ticketLabel, userMention } from './messages';
import { PRIORITIES, type Category, type GuildSettings, type Priority, type Ticket } from './model';
import type { TicketStore } from './ports';
import { memberLimitMessage } from './request-ticket';
import { requireStaff } from './staff';

/**
 * Working a ticket, the part that runs inside Discord's 3 seconds: who may do what, and the row
 * changes (each conditional, so concurrent presses never both win). The Discord side (welcome
 * message, members, names) is the worker's, from the job the caller enqueues. Every refusal is a
 * `UserError` whose message says what is wrong.
 */

/** Who is acting: their id, and whether they are staff for this ticket / a server admin. */
export interface Actor {
  id: string;
  /** A guild or category staff role, or Manage Server. */
  staff: boolean;
  /** Manage Server (or Administrator). */
  admin: boolean;
}

/** A ticket as an interaction sees it. */
export interface TicketScope {
  ticket: Ticket;
  settings: GuildSettings;
  category: Category | null;
  actor: Actor;
}

export interface WorkTicketDeps {
  tickets: TicketStore;
  clock: Clock;
}

export function requireOpen(scope: TicketScope): void {
  const { ticket } = scope;
  if (ticket.status === 'closed') throw new UserError(`Ticket ${ticketLabel(ticket)} is already closed.`);
  if (ticket.status !== 'open') throw new UserError(`Ticket ${ticketLabel(ticket)} is still being set up. Try again in a moment.`);
}

/** An interaction on an open ticket is activity: it moves the auto-close due time. */
export async function recordActivity(scope: TicketScope, deps: WorkTicketDeps): Promise<void> {
  if (scope.ticket.status === 'open') await deps.tickets.touchTicket(scope.ticket.guildId, scope.ticket.number, deps.clock.now(), scope.settings);
}

/** Re-reads the ticket after a lost race, to say what happened instead. */
async function explainLostRace(scope: TicketScope, deps: WorkTicketDeps): Promise<never> {
  const current = await deps.tickets.getTicket(scope.ticket.guildId, scope.ticket.number);
  if (current && current.status !== 'open') requireOpen({ ...scope, ticket: current });
  if (current?.claimedBy) throw new UserError(`${userMention(current.claimedBy)} claimed this ticket a moment ago.`);
  throw new UserError('Someone changed this ticket at the same moment. Please try again.');
}

export async function claimTicket(scope: TicketScope, deps: WorkTicketDeps): Promise<Ticket> {
  requireStaff(scope.actor, 'claim tickets');
  requireOpen(scope);
  const { ticket, actor } = scope;
  if (ticket.claimedBy === actor.id) throw new UserError('You have already claimed this ticket.');
  if (ticket.claimedBy) throw new UserError(`This ticket is already claimed by ${userMention(ticket.claimedBy)}. Staff can take it over with \`/ticket transfer\`.`);
  const updated = await deps.tickets.updateOpenTicket(ticket.guildId, ticket.number, { claimedBy: actor.id }, { claimedBy: null });
  if (!updated) return explainLostRace(scope, deps);
  await recordActivity(scope, deps);
  return updated;
}

/** The claimer, or a server admin, hands the ticket back to all staff. */
export async function unclaimTicket(scope: TicketScope, deps: WorkTicketDeps): Promise<{ ticket: Ticket; previous: string }> {
  requireStaff(scope.actor, 'unclaim tickets');
  requireOpen(scope);
  const { ticket, actor } = scope;
  const previous = ticket.claimedBy;
  if (!previous) throw new UserError('Nobody has claimed this ticket.');
  if (previous !== actor.id && !actor.admin) {
    throw new ForbiddenError(`Only ${userMention(previous)}, who claimed this ticket, or a server admin can unclaim it. Use \`/ticket transfer\` to hand it to someone.`);
  }
  const updated = await deps.tickets.updateOpenTicket(ticket.guildId, ticket.number, { claimedBy: null }, { claimedBy: previous });
  if (!updated) return explainLostRace(scope, deps);
  await recordActivity(scope, deps);
  return { ticket: updated, previous };
}

/** Any staff member hands the ticket to another staff member. */
export async function transferTicket(scope: TicketScope, target: { id: string; staff: boolean; bot: boolean }, deps: WorkTicketDeps): Promise<Ticket> {
  requireStaff(scope.actor, 'transfer tickets');
  requireOpen(scope);
  const { ticket } = scope;
  if (target.bot) throw new UserError('Tickets can only be transferred to people.');
  if (!target.staff) throw new UserError(`${userMention(target.id)} is not ticket staff here, so they cannot take this ticket.`);
  if (ticket.claimedBy === target.id) throw new UserError(`This ticket is already claimed by ${userMention(target.id)}.`);
  const updated = await deps.tickets.updateOpenTicket(ticket.guildId, ticket.number, { claimedBy: target.id }, { claimedBy: ticket.claimedBy });
  if (!updated) return explainLostRace(scope, deps);
  await recordActivity(scope, deps);
  return updated;
}

export async function setPriority(scope: TicketScope, level: string | null, deps: WorkTicketDeps): Promise<Ticket> {
  requireStaff(scope.actor, 'change the priority');
  requireOpen(scope);
  if (!PRIORITIES.includes(level as Priority)) throw new UserError(`Choose a priority: ${PRIORITIES.join(', ')}.`);
  const priority = level as Priority;
  if (scope.ticket.priority === priority) throw new UserError(`The priority is already **${priorityName(priority)}**.`);
  const updated = await deps.tickets.updateOpenTicket(scope.ticket.guildId, scope.ticket.number, { priority });
  if (!updated) return explainLostRace(scope, deps);
  await recordActivity(scope, deps);
  return updated;
}

export const priorityName = (p: Priority) => p[0]!.toUpperCase() + p.slice(1);

/** Checks adding or removing a member; the worker does it (thread member or channel overwrite). */
export async function checkMemberChange(scope: TicketScope, op: 'add' | 'remove', target: { id: string; bot: boolean; inGuild: boolean } | null, deps: WorkTicketDeps): Promise<void> {
  requireStaff(scope.actor, `${op} members`);
  requireOpen(scope);
  if (!target) throw new UserError('Choose a member of this server.');
  if (target.bot) throw new UserError('Bots cannot be added to or removed from tickets.');
  if (op === 'add' && !target.inGuild) throw new UserError(`${userMention(target.id)} is not a member of this server.`);
  if (op === 'remove' && target.id === scope.ticket.openerId) throw new UserError('The member who opened this ticket cannot be removed from it. Close the ticket instead.');
  if (op === 'remove' && target.id === scope.actor.id) throw new UserError('You cannot remove yourself. Unclaim or transfer the ticket instead.');
  await recordActivity(scope, deps);
}

/**
 * Checks adding or removing a role. Channel mode: a role overwrite. Thread mode refuses: Discord
 * lets people into a private thread one at a time, never by role.
 */
export async function checkRoleChange(scope: TicketScope, op: 'add' | 'remove', roleId: string | null, staffRoleIds: string[], deps: WorkTicketDeps): Promise<void> {
  requireStaff(scope.actor, `${op} roles`);
  requireOpen(scope);
  if (!roleId) throw new UserError('Choose a role.');
  if (scope.ticket.mode === 'thread') {
    throw new UserError('A role cannot be added to or removed from a private thread: Discord lets people in one at a time. Use `/ticket add member:` or `/ticket remove member:` for each person.');
  }
  if (roleId === scope.ticket.guildId) throw new UserError('@everyone cannot be given access to a ticket: every member would see it.');
  if (op === 'remove' && staffRoleIds.includes(roleId)) throw new UserError(`${roleMention(roleId)} is a staff role for this ticket; staff roles are changed with \`/setup\`.`);
  await recordActivity(scope, deps);
}

/** A new name as Discord will show it: trimmed; channel names are lower-case with dashes. */
export async function checkRename(scope: TicketScope, raw: string | null, deps: WorkTicketDeps): Promise<string> {
  requireStaff(scope.actor, 'rename tickets');
  requireOpen(scope);
  const trimmed = (raw ?? '').trim().replace(/\s+/g, ' ');
  const name = scope.ticket.mode === 'channel' ? trimmed.toLowerCase().replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/-+/g, '-').replace(/^-|-$/g, '') : trimmed;
  if (!name || name.length > 100) throw new UserError('Give a name of 1 to 100 characters.');
  await recordActivity(scope, deps);
  return name;
}

/**
 * Who is closing: staff always; the opener when the server allows it. Anyone else is refused.
 */
export function closeRole(scope: TicketScope): 'staff' | 'opener' {
  requireOpen(scope);
  if (scope.actor.staff) return 'staff';
  if (scope.actor.id === scope.ticket.openerId) {
    if (scope.settings.openerCanClose) return 'opener';
    throw new ForbiddenError('Only ticket staff can close tickets in this server. Ask them here, or wait for them to close it.');
  }
  throw new ForbiddenError(scope.settings.openerCanClose ? 'Only ticket staff or the member who opened this ticket can close it.' : 'Only ticket staff can close tickets.');
}

/** The row half of closing (status, closer, reason, time; slots released). */
export async function closeTicketNow(scope: TicketScope, reason: string | null, deps: WorkTicketDeps): Promise<Ticket> {
  const closed = await deps.tickets.closeTicket(scope.ticket, { closedBy: scope.actor.id, reason, now: deps.clock.now() });
  if (!closed) {
    const current = await deps.tickets.getTicket(scope.ticket.guildId, scope.ticket.number);
    throw new UserError(`Ticket ${ticketLabel(scope.ticket)} is ${current?.status === 'open' ? 'changing right now. Please try again.' : 'already closed.'}`);
  }
  return closed;
}

/** Staff ask the opener to close: only open tickets, and not their own request to themselves. */
export async function checkCloseRequest(scope: TicketScope, deps: WorkTicketDeps): Promise<void> {
  requireStaff(scope.actor, 'ask to close a ticket');
  requireOpen(scope);
  if (scope.ticket.openerId === scope.actor.id) throw new UserError('You opened this ticket yourself: close it with `/ticket close`.');
  await recordActivity(scope, deps);
}

/**
 * A close request's buttons carry the open period they were asked in (`reopenedAt ?? createdAt`,
 * base 36): an answer to a request from before a reopen is refused.
 */
export const closeRequestPeriod = (t: Pick<Ticket, 'reopenedAt' | 'createdAt'>) => (t.reopenedAt ?? t.createdAt).toString(36);

/** Only the opener answers a close request, of the open ticket's current open period. */
export function checkCloseAnswer(scope: TicketScope, period: string | undefined): void {
  if (scope.actor.id !== scope.ticket.openerId) throw new ForbiddenError(`Only ${userMention(scope.ticket.openerId)}, who opened this ticket, can answer this close request.`);
  requireOpen(scope);
  if (period !== closeRequestPeriod(scope.ticket)) throw new UserError('This close request is out of date: the ticket was reopened since. Staff can ask again.');
}

/**
 * closed → open within the guild's reopen window, if the opener's and the category's limits still
 * allow. A ticket channel is deleted after the close delay, so a channel-mode ticket can be
 * reopened only until its archive job starts (`archivingAt`); a thread is unarchived.
 */
export async function reopenTicket(scope: TicketScope, deps: WorkTicketDeps): Promise<Ticket> {
  requireStaff(scope.actor, 'reopen tickets');
  const { ticket, settings, category } = scope;
  const label = ticketLabel(ticket);
  if (ticket.status !== 'closed' || ticket.closedAt === null) throw new UserError(`Ticket ${label} is not closed.`);
  if (settings.reopenWindowHours <= 0) throw new UserError('Reopening tickets is turned off in this server. Open a new ticket instead.');
  const now = deps.clock.now();
  if (now > ticket.closedAt + settings.reopenWindowHours * 3_600_000) {
    throw new UserError(`Ticket ${label} closed more than ${settings.reopenWindowHours} hours ago and can no longer be reopened. Open a new ticket instead.`);
  }
  const channelGone = `The channel of ticket ${label} was already removed when it closed, so it cannot be reopened. Open a new ticket instead.`;
  if (ticket.mode === 'channel' && (ticket.archivingAt || ticket.archivedAt)) throw new UserError(channelGone);
  if (!category) throw new UserError(`The category of ticket ${label} no longer exists, so it cannot be reopened. Open a new ticket instead.`);
  const result = await deps.tickets.reopenTicket(ticket, category, scope.actor.id, now, settings);
  if (result.ok) return result.ticket;
  switch (result.reason) {
    case 'not_closed':
      throw new UserError(`Ticket ${label} was just reopened or changed. Check it again.`);
    case 'archived':
      throw new UserError(channelGone);
    case 'member_limit':
      throw new UserError(memberLimitMessage(result, category, ticket.openerId));
    case 'category_full':
      throw new UserError(`**${category.name}** has reached its limit of ${result.cap} open tickets, so this one cannot be reopened now.`);
    case 'category_deleted':
      throw new UserError(`The category of ticket ${label} no longer exists, so it cannot be reopened. Open a new ticket instead.`);
  }
}
