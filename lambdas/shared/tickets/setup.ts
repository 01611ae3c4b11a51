import { UserError } from '../errors';
import { missingBotPermissions } from '../domain/permissions';
import { categoryIdFor } from './categories';
import { roleMention } from './messages';
import { DEFAULT_SETTINGS, newCategory, type GuildSettings, type TicketMode } from './model';
import type { TicketStore } from './ports';
import { requireStaffRoleCandidate } from './staff';

export interface SetupInput {
  guildId: string;
  /** The staff role list becomes this one role (the first setup's option). */
  staffRoleId: string | null;
  /** A bot's or integration's role (no member can be given it): refused. */
  staffRoleManaged?: boolean;
  /** One more guild staff role, next to those already set. */
  addStaffRole?: { id: string; managed?: boolean } | null;
  /** Takes a guild staff role off the list (never the last one). */
  removeStaffRoleId?: string | null;
  /** Unsets the log or the transcript channel. */
  clear?: SetupClearable | null;
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

/** What `/setup clear:` can unset. */
export const SETUP_CLEARABLE = ['log_channel', 'transcript_channel'] as const;
export type SetupClearable = (typeof SETUP_CLEARABLE)[number];

/**
 * Guild staff roles at most: each is a permission overwrite on every ticket channel (channel
 * mode) and a mention in every welcome message; category roles come on top.
 */
export const MAX_GUILD_STAFF_ROLES = 10;

export interface SetupResult {
  settings: GuildSettings;
  createdDefaultCategory: boolean;
  missingPermissions: string[];
}

/**
 * `/setup`: one step to a working default, and the same command changes any part later (options
 * left out keep their current value). Creates a "General" category when the guild has none.
 */
export async function applySetup(input: SetupInput, deps: { tickets: TicketStore }): Promise<SetupResult> {
  const current = await deps.tickets.getSettings(input.guildId);
  if (input.staffRoleId) requireStaffRoleCandidate({ id: input.staffRoleId, managed: input.staffRoleManaged }, input.guildId);
  let staffRoleIds = input.staffRoleId ? [input.staffRoleId] : [...(current?.staffRoleIds ?? [])];
  if (input.addStaffRole) {
    requireStaffRoleCandidate(input.addStaffRole, input.guildId);
    if (!staffRoleIds.includes(input.addStaffRole.id)) staffRoleIds.push(input.addStaffRole.id);
    if (staffRoleIds.length > MAX_GUILD_STAFF_ROLES) throw new UserError(`A server can have at most ${MAX_GUILD_STAFF_ROLES} staff roles. Remove one first with \`/setup remove_staff_role:\`.`);
  }
  if (input.removeStaffRoleId) {
    if (!staffRoleIds.includes(input.removeStaffRoleId)) throw new UserError(`${roleMention(input.removeStaffRoleId)} is not a staff role here. See \`/config show\`.`);
    staffRoleIds = staffRoleIds.filter((id) => id !== input.removeStaffRoleId);
    if (staffRoleIds.length === 0) throw new UserError(`${roleMention(input.removeStaffRoleId)} is the only staff role: add another with \`/setup add_staff_role:\` before removing it.`);
  }
  if (staffRoleIds.length === 0) throw new UserError('Choose the staff role that works tickets: `/setup staff_role:@Support`.');
  const clearing = (what: SetupClearable, given: string | null) => {
    if (input.clear === what && given) throw new UserError(`Give \`${what}\` or clear it, not both.`);
    return input.clear === what;
  };
  const mode = input.mode ?? current?.mode ?? 'thread';
  const settings: GuildSettings = {
    ...DEFAULT_SETTINGS,
    ...current,
    staffRoleIds,
    mode,
    supportChannelId: input.supportChannelId ?? current?.supportChannelId ?? null,
    ticketCategoryId: input.ticketCategoryId ?? current?.ticketCategoryId ?? null,
    logChannelId: clearing('log_channel', input.logChannelId) ? null : (input.logChannelId ?? current?.logChannelId ?? null),
    transcriptChannelId: clearing('transcript_channel', input.transcriptChannelId) ? null : (input.transcriptChannelId ?? current?.transcriptChannelId ?? null),
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
  const missingPermissions = missingBotPermissions(input.appPermissions, [mode]).map((p) => p.name);
  return { settings, createdDefaultCategory, missingPermissions };
}
