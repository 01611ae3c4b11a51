import type { APIEmbed } from 'discord-api-types/v10';
import type { InteractionContext } from '../contracts/work-job';
import type { DiscordApi, MessageBody } from '../ports/discord';
import type { GuildStore } from '../ports/guild-store';
import { describeEntitlement } from '../licensing/messages';
import type { Entitlements } from '../licensing/ports';
import { relativeTime } from '../tickets/messages';
import type { Category, GuildSettings, TicketMode } from '../tickets/model';
import type { TicketStore } from '../tickets/ports';
import { rolesWithoutThreadAccess, threadVisibilityWarning } from '../tickets/staff-visibility';
import { missingBotPermissions } from './permissions';

/** Discord's per-guild channel cap. @see https://discord.com/developers/docs/resources/guild#create-guild-channel */
export const GUILD_CHANNEL_CAP = 500;

const COLOR_OK = 0x2ecc71;
const COLOR_WARN = 0xf1c40f;

export interface StatusReportDeps {
  guilds: GuildStore;
  discord: DiscordApi;
  entitlements?: Entitlements;
  /** Ticket settings: with them, thread-mode staff roles are checked for Manage Threads. */
  tickets?: Pick<TicketStore, 'getSettings' | 'listCategories'>;
}

/**
 * `/status`: checks what Deskwire needs in this guild — install record, the bot's permissions in
 * this channel, and room under Discord's channel cap — and says what to fix.
 */
export async function buildStatusReport(ctx: InteractionContext, deps: StatusReportDeps): Promise<MessageBody> {
  if (!ctx.guildId) {
    return { content: 'Run /status inside a server to check its Deskwire setup.' };
  }
  const [record, guild, channels, entitlement] = await Promise.all([
    deps.guilds.get(ctx.guildId),
    deps.discord.getGuild(ctx.guildId),
    deps.discord.listGuildChannels(ctx.guildId),
    deps.entitlements?.entitlementFor(ctx.guildId) ?? null,
  ]);
  const setup = deps.tickets ? await ticketSetup(ctx.guildId, deps.tickets) : null;
  // The permissions of the ticket modes in use (all of them before the first /setup).
  const missing = missingBotPermissions(ctx.appPermissions, setup?.modes.length ? setup.modes : undefined);
  const unseen = setup ? threadVisibilityWarning(await threadStaffWithoutAccess(ctx.guildId, setup, deps.discord)) : null;
  const fields: APIEmbed['fields'] = [
    { name: 'Installation', value: record?.status === 'installed' ? `Installed ${relativeTime(record.installedAt)}` : 'Not recorded yet: it appears once the gateway sees this server.', inline: false },
    {
      name: 'Bot permissions here',
      value: missing.length === 0 ? 'All required permissions granted.' : missing.map((m) => `Missing **${m.name}**: needed to ${m.why}.`).join('\n'),
      inline: false,
    },
    { name: 'Channels', value: `${channels.length} / ${GUILD_CHANNEL_CAP} used`, inline: true },
    ...(entitlement ? [{ name: 'License', value: describeEntitlement(entitlement), inline: false }] : []),
    ...(unseen ? [{ name: 'Ticket staff', value: unseen, inline: false }] : []),
  ];
  const healthy = !unseen && missing.length === 0 && record?.status === 'installed' && entitlement?.state !== 'inactive' && entitlement?.state !== 'grace';
  return {
    embeds: [
      {
        title: `Deskwire status for ${guild.name}`,
        color: healthy ? COLOR_OK : COLOR_WARN,
        description: healthy ? 'Everything Deskwire needs is in place.' : 'Some things need attention:',
        fields,
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** The guild's ticket settings and categories, and the modes its tickets are opened in. */
async function ticketSetup(guildId: string, tickets: NonNullable<StatusReportDeps['tickets']>): Promise<{ settings: GuildSettings | null; categories: Category[]; modes: TicketMode[] }> {
  const settings = await tickets.getSettings(guildId);
  if (!settings) return { settings, categories: [], modes: [] };
  const categories = await tickets.listCategories(guildId);
  // Without categories a ticket takes the guild's mode; with them, each category's own or the guild's.
  const modes = categories.length === 0 ? [settings.mode] : [...new Set(categories.map((c) => c.mode ?? settings.mode))];
  return { settings, categories, modes };
}

/** Staff roles of thread-mode tickets (the guild's, and thread categories' own) without Manage Threads. */
async function threadStaffWithoutAccess(guildId: string, setup: Awaited<ReturnType<typeof ticketSetup>>, discord: DiscordApi): Promise<string[]> {
  const { settings, categories } = setup;
  // Only when some ticket is actually opened as a thread: categories overriding to channel mode do not count.
  if (!settings || !setup.modes.includes('thread')) return [];
  const threadCategories = categories.filter((c) => (c.mode ?? settings.mode) === 'thread');
  const staff = new Set([...settings.staffRoleIds, ...threadCategories.flatMap((c) => c.staffRoleIds)]);
  const roles = (await discord.listGuildRoles(guildId)).filter((r) => staff.has(r.id));
  return rolesWithoutThreadAccess(roles);
}
