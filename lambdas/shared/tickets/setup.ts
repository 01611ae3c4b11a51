import { UserError } from '../errors';
import { PermissionFlagsBits } from '../discord-constants';
import { hasPermission, parsePermissions } from '../domain/permissions';
import { categoryIdFor } from './categories';
import { DEFAULT_SETTINGS, newCategory, type GuildSettings, type TicketMode } from './model';
import type { TicketStore } from './ports';

export interface SetupInput {
  guildId: string;
  staffRoleId: string | null;
  mode: TicketMode | null;
  /** Thread mode parent (a text channel). */
  supportChannelId: string | null;
  /** Channel mode parent (a category). */
  ticketCategoryId: string | null;
  logChannelId: string | null;
  transcriptChannelId: string | null;
  /** The bot's permissions where /setup runs (`app_permissions`). */
  appPermissions: string | null;
  now: number;
}

export interface SetupResult {
  settings: GuildSettings;
  createdDefaultCategory: boolean;
  missingPermissions: string[];
}

/** What each mode needs from the bot, named as in Discord's UI. */
const NEEDED: Record<TicketMode, Array<[string, bigint]>> = {
  thread: [
    ['View Channels', PermissionFlagsBits.ViewChannel],
    ['Send Messages', PermissionFlagsBits.SendMessages],
    ['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
    ['Create Private Threads', PermissionFlagsBits.CreatePrivateThreads],
    ['Manage Threads', PermissionFlagsBits.ManageThreads],
    ['Embed Links', PermissionFlagsBits.EmbedLinks],
    ['Read Message History', PermissionFlagsBits.ReadMessageHistory],
  ],
  channel: [
    ['View Channels', PermissionFlagsBits.ViewChannel],
    ['Send Messages', PermissionFlagsBits.SendMessages],
    ['Manage Channels', PermissionFlagsBits.ManageChannels],
    ['Manage Roles', PermissionFlagsBits.ManageRoles],
    ['Embed Links', PermissionFlagsBits.EmbedLinks],
    ['Read Message History', PermissionFlagsBits.ReadMessageHistory],
  ],
};

/**
 * `/setup`: one step to a working default, and the same command changes any part later (options
 * left out keep their current value). Creates a "General" category when the guild has none.
 */
export async function applySetup(input: SetupInput, deps: { tickets: TicketStore }): Promise<SetupResult> {
  const current = await deps.tickets.getSettings(input.guildId);
  const staffRoleIds = input.staffRoleId ? [input.staffRoleId] : (current?.staffRoleIds ?? []);
  if (staffRoleIds.length === 0) throw new UserError('Choose the staff role that works tickets: `/setup staff_role:@Support`.');
  if (input.staffRoleId === input.guildId) throw new UserError('@everyone cannot be the staff role: every member would see every ticket. Pick a support role.');
  const mode = input.mode ?? current?.mode ?? 'thread';
  const settings: GuildSettings = {
    ...DEFAULT_SETTINGS,
    ...current,
    staffRoleIds,
    mode,
    supportChannelId: input.supportChannelId ?? current?.supportChannelId ?? null,
    ticketCategoryId: input.ticketCategoryId ?? current?.ticketCategoryId ?? null,
    logChannelId: input.logChannelId ?? current?.logChannelId ?? null,
    transcriptChannelId: input.transcriptChannelId ?? current?.transcriptChannelId ?? null,
    updatedAt: input.now,
  };
  if (mode === 'thread' && !settings.supportChannelId) {
    throw new UserError('Thread mode needs a support channel for the private threads: add `support_channel:#support`.');
  }
  if (mode === 'channel' && !settings.ticketCategoryId) {
    throw new UserError('Channel mode needs a category for the ticket channels: add `ticket_category:` with a category.');
  }
  await deps.tickets.saveSettings(input.guildId, settings);

  let createdDefaultCategory = false;
  if ((await deps.tickets.listCategories(input.guildId)).length === 0) {
    const general = newCategory({ name: 'General', emoji: '🎫', description: 'Questions and help', createdAt: input.now });
    // `general`, unless a deleted category holds that id (ids are never reused): then a suffix.
    const taken = new Set<string>();
    for (let attempt = 0; attempt < 5 && !createdDefaultCategory; attempt++) {
      general.id = categoryIdFor(general.name, taken);
      if (await deps.tickets.createCategory(input.guildId, general)) createdDefaultCategory = true;
      else if (await deps.tickets.getCategory(input.guildId, general.id)) break; // a /setup running at the same time made it
      else taken.add(general.id);
    }
  }
  const bits = parsePermissions(input.appPermissions);
  const missingPermissions = NEEDED[mode].filter(([, bit]) => !hasPermission(bits, bit)).map(([name]) => name);
  return { settings, createdDefaultCategory, missingPermissions };
}
