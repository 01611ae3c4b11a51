import type { Clock } from '../clock';
import { RetryLaterError, UserError } from '../errors';
import { buildCustomId } from '../custom-id';
import { messageNonce } from '../message-nonce';
import { safeError } from '../safe-error';
import { PermissionFlagsBits } from '../discord-constants';
import { CategoryFullError, type DiscordApi, type Overwrite } from '../ports/discord';
import { channelLink, ticketLabel, userMention } from './messages';
import { renderTicketName, type GuildSettings, type Ticket } from './model';
import { describeRefusal, isRefusal, type ProvisionStep, type TicketNotOpenedError } from './opening-failure';
import type { TicketStore } from './ports';
import { staffRolesFor } from './staff';
import { logToStaff } from './staff-log';
import { welcomeMessage } from './welcome';
import { BOT_ALLOW, MEMBER_ALLOW, ticketOverwrites } from '../contracts/ticket-channel';

export interface ProvisionDeps {
  tickets: TicketStore;
  discord: DiscordApi;
  clock: Clock;
  /** The bot's user id (the application id): its own overwrite keeps ticket channels visible to it. */
  botUserId: string;
  log: { warn(msg: string, extra: Record<string, unknown>): void };
}

// The ticket channel's overwrite shape lives with the gateway contract (the gateway recognises it).
export { MEMBER_ALLOW, ticketOverwrites };

/**
 * The worker's half of opening a ticket: create the private thread (adding the opener) or the
 * channel (overwrites; overflowing a full parent category), post the welcome message, mark it open
 * and log it. Safe to run again: each step checks what an earlier attempt already did (the channel
 * is recorded once; the welcome carries a nonce per ticket and is looked for before posting again).
 *
 * Nothing half-made: when Discord refuses any step before the ticket is open (a missing permission,
 * the member gone, a cap reached), the open is rolled back completely — the thread or channel we
 * made is deleted (best effort), the row deleted and the member's slot, the category's count and the
 * cooldown given back — the staff log says why, and a {@link TicketNotOpenedError} tells the member.
 * Anything else (an outage, a timeout) is thrown as is, for the job to be retried.
 */
export async function provisionTicket(guildId: string, number: number, note: string | null, deps: ProvisionDeps): Promise<{ ticket: Ticket; channelId: string }> {
  const ticket = await deps.tickets.getTicket(guildId, number);
  if (!ticket) throw new UserError('This ticket was cancelled before it could be created. Please open a new one.');
  if (ticket.status !== 'opening' && ticket.channelId) return { ticket, channelId: ticket.channelId };
  const settings = await deps.tickets.getSettings(guildId);
  if (!settings) {
    if ((await deps.tickets.abandonTicket(ticket, ticket.channelId)) && ticket.channelId) await deleteQuietly(ticket.channelId, ticket, deps);
    throw new UserError('Tickets are not set up in this server any more. A server admin can run `/setup`.');
  }
  const category = await deps.tickets.getCategory(guildId, ticket.categoryId);
  const staff = staffRolesFor(settings, category);
  const name = renderTicketName(category?.nameTemplate ?? 'ticket-{number}', { number: ticket.number, username: await openerName(guildId, ticket.openerId, deps), category: category?.name ?? 'ticket' });
  const parentId = (ticket.mode === 'thread' ? (category?.parentId ?? settings.supportChannelId) : (category?.parentId ?? settings.ticketCategoryId)) ?? null;

  let channelId = ticket.channelId;
  let step: ProvisionStep | null = null;
  let welcomeId: string;
  try {
    if (!channelId) {
      step = { kind: ticket.mode === 'thread' ? 'create_thread' : 'create_channel', parentId };
      const created = ticket.mode === 'thread' ? await createThread(ticket, parentId, name, deps) : await createChannel(ticket, parentId, staff, name, deps);
      channelId = await recordChannel(ticket, created, deps);
    }
    if (ticket.mode === 'thread') {
      step = { kind: 'add_opener', parentId };
      await deps.discord.addThreadMember(channelId, ticket.openerId);
    }
    // A channel recorded by an earlier attempt may already hold the welcome (that attempt failed after posting).
    step = { kind: 'find_welcome', mode: ticket.mode, parentId };
    const earlier = ticket.channelId ? await earlierWelcome(channelId, ticket, deps) : null;
    step = { kind: 'welcome', mode: ticket.mode, parentId };
    const body = welcomeMessage({ ...ticket, channelId }, category ?? { name: 'Ticket', emoji: null }, staff, note);
    welcomeId = earlier ?? (await deps.discord.postMessage(channelId, { ...body, nonce: welcomeNonce(ticket), enforce_nonce: true })).id;
  } catch (err) {
    if (!isRefusal(err)) throw err;
    const refusal = describeRefusal(err, step, ticket.openerId);
    const openedMeanwhile = await rollBack(ticket, channelId, settings, refusal, deps);
    if (openedMeanwhile?.channelId) return { ticket: openedMeanwhile, channelId: openedMeanwhile.channelId };
    throw refusal;
  }
  await deps.tickets.markOpen(ticket, welcomeId, deps.clock.now());
  // Opening is activity: with auto-close on, the ticket enters the due index now.
  if (settings.autoCloseHours) await deps.tickets.touchTicket(guildId, ticket.number, deps.clock.now(), settings);
  await logToStaff(settings, `🎫 Ticket ${ticketLabel(ticket)} opened by ${userMention(ticket.openerId)} in ${channelLink(channelId)}${category ? ` (${category.name})` : ''}.`, deps);
  return { ticket: { ...ticket, channelId, status: 'open', welcomeMessageId: welcomeId }, channelId };
}

/**
 * One nonce per ticket and open period (the reservation time): two attempts posting the welcome
 * within Discord's nonce window get the same message back.
 */
export const welcomeNonce = (ticket: Pick<Ticket, 'guildId' | 'number' | 'createdAt'>) => messageNonce(ticket.guildId, ticket.number, ticket.createdAt, 'welcome');

/**
 * The welcome an earlier attempt posted, found among the channel's first messages by its author
 * (the bot) and its Close button: covers a retry later than the nonce window.
 */
async function earlierWelcome(channelId: string, ticket: Ticket, deps: ProvisionDeps): Promise<string | null> {
  const close = buildCustomId('ticket-close', String(ticket.number));
  const first = await deps.discord.listMessages(channelId, { after: '0', limit: 10 });
  return first.find((m) => m.author.id === deps.botUserId && JSON.stringify(m.components ?? []).includes(`"${close}"`))?.id ?? null;
}

/**
 * Records the channel just made. When it cannot be recorded (the write failed, or another attempt
 * recorded its own first), this one would be left behind by the retry: it is deleted. A write that
 * reports failure may still have been applied (a timeout after DynamoDB wrote it), so the row is
 * read again first: a channel the row points at is the ticket's and is kept for the retry.
 */
async function recordChannel(ticket: Ticket, created: string, deps: ProvisionDeps): Promise<string> {
  let recorded: string;
  try {
    recorded = await deps.tickets.attachChannel(ticket, created);
  } catch (err) {
    const row = await deps.tickets.getTicket(ticket.guildId, ticket.number).then(
      (t) => t,
      (readErr) => {
        // Unknown whether it was recorded: a stray empty channel is better than deleting the ticket's own.
        deps.log.warn('could not tell whether the new ticket channel was recorded; kept it', { guildId: ticket.guildId, number: ticket.number, channelId: created, error: safeError(readErr) });
        return undefined;
      },
    );
    if (row !== undefined && row?.channelId !== created) await deleteQuietly(created, ticket, deps);
    throw err;
  }
  if (recorded !== created) await deleteQuietly(created, ticket, deps);
  return recorded;
}

/**
 * Undoes an open Discord refused: the reservation, then its channel (best effort) and a staff log
 * line. The reservation goes first, only while still `opening` and holding this attempt's channel
 * or none, so an attempt racing another never deletes a channel that attempt recorded (nor a live
 * ticket's): an opened ticket is returned instead, and while the other attempt is still at work
 * this one steps back with a retryable error (its retry finds the recorded channel and finishes).
 */
async function rollBack(ticket: Ticket, channelId: string | null, settings: GuildSettings, refusal: TicketNotOpenedError, deps: ProvisionDeps): Promise<Ticket | null> {
  if (!(await deps.tickets.abandonTicket(ticket, channelId))) {
    const current = await deps.tickets.getTicket(ticket.guildId, ticket.number);
    if (current && current.status !== 'opening') return current;
    if (current?.channelId && current.channelId !== channelId) throw new TicketBusyError(ticket);
  }
  if (channelId) await deleteQuietly(channelId, ticket, deps);
  await logToStaff(settings, refusal.staffLine, deps);
  return null;
}

/**
 * Another attempt recorded its own channel for this ticket while this one was refused: not a
 * refusal of the ticket (that attempt may still open it), so the job is retried.
 */
export class TicketBusyError extends RetryLaterError {
  constructor(ticket: Pick<Ticket, 'guildId' | 'number'>) {
    super(`ticket ${ticket.guildId}#${ticket.number} is being set up by another attempt`);
  }
}

/** Deleting what a failed open made is best effort: a failure is logged, never the member's problem. */
async function deleteQuietly(channelId: string, ticket: Ticket, deps: ProvisionDeps): Promise<void> {
  await deps.discord.deleteChannel(channelId, `Ticket ${ticketLabel(ticket)} could not be opened`).catch((err) => deps.log.warn('could not delete the channel of a ticket that failed to open', { guildId: ticket.guildId, number: ticket.number, channelId, error: safeError(err) }));
}

async function openerName(guildId: string, userId: string, deps: ProvisionDeps): Promise<string> {
  const member = await deps.discord.getMember(guildId, userId).catch(() => null);
  return member?.nick ?? member?.user.global_name ?? member?.user.username ?? 'member';
}

async function createThread(ticket: Ticket, parent: string | null, name: string, deps: ProvisionDeps): Promise<string> {
  if (!parent) throw new UserError('No support channel is configured for tickets. A server admin can fix this with `/setup`.');
  return (await deps.discord.createPrivateThread(parent, name, `Ticket ${ticketLabel(ticket)}`)).id;
}

async function createChannel(ticket: Ticket, parent: string | null, staff: string[], name: string, deps: ProvisionDeps): Promise<string> {
  const overwrites = ticketOverwrites(ticket.guildId, ticket.openerId, staff, deps.botUserId);
  const reason = `Ticket ${ticketLabel(ticket)}`;
  try {
    return (await deps.discord.createChannel(ticket.guildId, { name, type: 0, parentId: parent, overwrites, reason })).id;
  } catch (err) {
    if (!(err instanceof CategoryFullError) || !parent) throw err;
  }
  const overflow = await overflowCategory(ticket.guildId, parent, staff, deps);
  return (await deps.discord.createChannel(ticket.guildId, { name, type: 0, parentId: overflow, overwrites, reason })).id;
}

/**
 * A category at Discord's 50-channel cap overflows into "<name> 2", "<name> 3"… next to it:
 * the first of those with room, or a new one. Found by name, so no state is kept.
 */
async function overflowCategory(guildId: string, fullParentId: string, staff: string[], deps: ProvisionDeps): Promise<string> {
  const channels = await deps.discord.listGuildChannels(guildId);
  const base = channels.find((c) => c.id === fullParentId)?.name?.replace(/ \d+$/, '') ?? 'Tickets';
  const children = (id: string) => channels.filter((c) => c.parent_id === id).length;
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?: (\\d+))?$`);
  const family = channels.filter((c) => c.type === 4 && pattern.test(c.name ?? ''));
  const withRoom = family.find((c) => c.id !== fullParentId && children(c.id) < 50);
  if (withRoom) return withRoom.id;
  const next = Math.max(1, ...family.map((c) => Number(pattern.exec(c.name ?? '')?.[1] ?? 1))) + 1;
  const overwrites: Overwrite[] = [
    { id: guildId, type: 0, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) },
    ...staff.map((id) => ({ id, type: 0 as const, allow: String(PermissionFlagsBits.ViewChannel), deny: '0' })),
    { id: deps.botUserId, type: 1, allow: String(BOT_ALLOW), deny: '0' },
  ];
  return (await deps.discord.createChannel(guildId, { name: `${base} ${next}`, type: 4, overwrites, reason: 'Ticket category overflow (50-channel limit)' })).id;
}
