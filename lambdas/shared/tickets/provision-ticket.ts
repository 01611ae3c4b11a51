import type { Clock } from '../clock';
import { isUserError, UserError } from '../errors';
import { PermissionFlagsBits } from '../discord-constants';
import { CategoryFullError, GuildChannelCapError, type DiscordApi, type Overwrite } from '../ports/discord';
import { channelLink, ticketLabel, userMention } from './messages';
import { renderTicketName, type Category, type GuildSettings, type Ticket } from './model';
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
 * and log it. Safe to run again: each step checks what an earlier attempt already did.
 * A refusal from Discord undoes the reservation, so no ticket row is left without its channel.
 */
export async function provisionTicket(guildId: string, number: number, note: string | null, deps: ProvisionDeps): Promise<{ ticket: Ticket; channelId: string }> {
  const ticket = await deps.tickets.getTicket(guildId, number);
  if (!ticket) throw new UserError('This ticket was cancelled before it could be created. Please open a new one.');
  if (ticket.status !== 'opening' && ticket.channelId) return { ticket, channelId: ticket.channelId };
  const settings = await deps.tickets.getSettings(guildId);
  if (!settings) {
    await deps.tickets.abandonTicket(ticket);
    throw new UserError('Tickets are not set up in this server any more. A server admin can run `/setup`.');
  }
  const category = await deps.tickets.getCategory(guildId, ticket.categoryId);
  const staff = staffRolesFor(settings, category);
  const name = renderTicketName(category?.nameTemplate ?? 'ticket-{number}', { number: ticket.number, username: await openerName(guildId, ticket.openerId, deps), category: category?.name ?? 'ticket' });

  let channelId = ticket.channelId;
  if (!channelId) {
    try {
      const created = ticket.mode === 'thread' ? await createThread(ticket, settings, category, name, deps) : await createChannel(ticket, settings, category, staff, name, deps);
      channelId = await deps.tickets.attachChannel(ticket, created);
    } catch (err) {
      if (err instanceof GuildChannelCapError) {
        await deps.tickets.abandonTicket(ticket);
        await logToStaff(settings, `⚠️ ${userMention(ticket.openerId)} could not open a ticket: this server has reached Discord’s limit of 500 channels. Delete unused channels or switch to thread mode.`, deps);
        throw new UserError('This server has reached Discord’s limit of 500 channels, so no ticket channel can be created right now. The staff have been told.');
      }
      if (isUserError(err)) {
        await deps.tickets.abandonTicket(ticket);
        throw err;
      }
      throw err;
    }
  }
  if (ticket.mode === 'thread') await deps.discord.addThreadMember(channelId, ticket.openerId);

  const welcome = await deps.discord.postMessage(channelId, welcomeMessage({ ...ticket, channelId }, category ?? { name: 'Ticket', emoji: null }, staff, note));
  await deps.tickets.markOpen(ticket, welcome.id, deps.clock.now());
  // Opening is activity: with auto-close on, the ticket enters the due index now.
  if (settings.autoCloseHours) await deps.tickets.touchTicket(guildId, ticket.number, deps.clock.now(), settings);
  await logToStaff(settings, `🎫 Ticket ${ticketLabel(ticket)} opened by ${userMention(ticket.openerId)} in ${channelLink(channelId)}${category ? ` (${category.name})` : ''}.`, deps);
  return { ticket: { ...ticket, channelId, status: 'open', welcomeMessageId: welcome.id }, channelId };
}

async function openerName(guildId: string, userId: string, deps: ProvisionDeps): Promise<string> {
  const member = await deps.discord.getMember(guildId, userId).catch(() => null);
  return member?.nick ?? member?.user.global_name ?? member?.user.username ?? 'member';
}

async function createThread(ticket: Ticket, settings: GuildSettings, category: Category | null, name: string, deps: ProvisionDeps): Promise<string> {
  const parent = category?.parentId ?? settings.supportChannelId;
  if (!parent) throw new UserError('No support channel is configured for tickets. A server admin can fix this with `/setup`.');
  return (await deps.discord.createPrivateThread(parent, name, `Ticket ${ticketLabel(ticket)}`)).id;
}

async function createChannel(ticket: Ticket, settings: GuildSettings, category: Category | null, staff: string[], name: string, deps: ProvisionDeps): Promise<string> {
  const parent = category?.parentId ?? settings.ticketCategoryId;
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
