import type { APIInteraction, APIInteractionDataResolved } from 'discord-api-types/v10';
import { PermissionFlagsBits } from '../shared/discord-constants';
import { hasPermission, parsePermissions } from '../shared/domain/permissions';
import { StaleActionError, UserError } from '../shared/errors';
import { ticketLabel } from '../shared/tickets/messages';
import type { Category, GuildSettings } from '../shared/tickets/model';
import { requireSettings as requireSettingsOf } from '../shared/tickets/settings';
import { staffRolesFor } from '../shared/tickets/staff';
import type { Actor, TicketScope } from '../shared/tickets/work-ticket';
import { isStaff, memberPermissions } from './access';
import type { InteractionDeps } from './types';

/** The invoking user's id (guild member or DM user). */
export const userIdOf = (i: APIInteraction) => (i.member?.user.id ?? i.user?.id)!;

export function actorOf(i: APIInteraction, settings: GuildSettings, category: Category | null): Actor {
  return { id: userIdOf(i), staff: isStaff(i, settings, category?.staffRoleIds ?? []), admin: hasPermission(memberPermissions(i), PermissionFlagsBits.ManageGuild) };
}

/** A ticket number from a button's custom_id (`dw1:ticket-…:<n>`); anything else is stale. */
export function ticketNumberArg(raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new StaleActionError();
  return n;
}

export const requireSettings = (guildId: string, deps: InteractionDeps): Promise<GuildSettings> => requireSettingsOf(deps.tickets, guildId);

/**
 * The ticket an interaction is about — by number (buttons, `/ticket reopen number:`) or the channel
 * it runs in — with the guild's settings, the ticket's category and who is acting.
 */
export async function ticketScope(interaction: APIInteraction, deps: InteractionDeps, number: number | null = null): Promise<TicketScope> {
  const guildId = interaction.guild_id;
  if (!guildId) throw new UserError('Tickets live inside a server: run this there.');
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  const [found, settings] = await Promise.all([
    number !== null ? deps.tickets.getTicket(guildId, number) : channelId ? deps.tickets.ticketByChannel(channelId) : Promise.resolve(null),
    requireSettings(guildId, deps),
  ]);
  const ticket = found?.guildId === guildId ? found : null;
  if (!ticket) {
    throw new UserError(number !== null ? `There is no ticket ${ticketLabel({ number })} in this server.` : 'Run this inside a ticket thread or channel.');
  }
  const category = await deps.tickets.getCategory(guildId, ticket.categoryId);
  return { ticket, settings, category, actor: actorOf(interaction, settings, category) };
}

/**
 * A user picked in a command option, as Discord resolved it: a bot? staff here (a staff role or
 * Manage Server in the member's resolved permissions)?
 */
export function resolvedUser(interaction: { data: { resolved?: APIInteractionDataResolved } }, userId: string | null, scope: Pick<TicketScope, 'settings' | 'category'>) {
  if (!userId) return null;
  const user = interaction.data.resolved?.users?.[userId];
  const member = interaction.data.resolved?.members?.[userId];
  const staffRoles = new Set(staffRolesFor(scope.settings, scope.category));
  const staff = Boolean(member && (member.roles.some((r) => staffRoles.has(r)) || hasPermission(parsePermissions(member.permissions), PermissionFlagsBits.ManageGuild)));
  return { id: userId, bot: Boolean(user?.bot), staff, inGuild: Boolean(member) };
}
