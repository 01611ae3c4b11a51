import type { APIChatInputApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { ApplicationCommandType, InteractionContextType, OptionType, DefaultMemberPermissions } from '../../shared/discord-constants';
import { StaleActionError } from '../../shared/errors';
import { ephemeralReply } from '../../shared/interaction-reply';
import { channelLink, roleMention } from '../../shared/tickets/messages';
import { openerLeavesOf, type GuildSettings, type OpenerLeavesAction } from '../../shared/tickets/model';
import { changeBehaviour, LIMITS, requireSettings } from '../../shared/tickets/settings';
import { changeTranscriptSettings, describeTranscriptSettings, RETENTION_DAYS_LIMITS } from '../../shared/transcripts/settings';
import { requireManageGuild } from '../access';
import { CommandOptions } from '../options';
import type { CommandModule } from '../types';

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const configDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'config',
  description: 'See or change how tickets behave here',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: DefaultMemberPermissions.ManageGuild,
  options: [
    { type: OptionType.Subcommand, name: 'show', description: 'Show the current ticket settings' },
    {
      type: OptionType.Subcommand,
      name: 'tickets',
      description: 'Closing, reopening and auto-close',
      options: [
        { type: OptionType.Boolean, name: 'opener_can_close', description: 'May the member who opened a ticket close it?' },
        { type: OptionType.Integer, name: 'reopen_window_hours', description: 'Hours a closed ticket can be reopened (0 = never; ticket channels only until deleted)', min_value: LIMITS.reopenWindowHours[0], max_value: LIMITS.reopenWindowHours[1] },
        { type: OptionType.Integer, name: 'close_delay_seconds', description: 'Seconds between closing and removing the channel/thread', min_value: LIMITS.closeDelaySeconds[0], max_value: LIMITS.closeDelaySeconds[1] },
        { type: OptionType.Integer, name: 'auto_close_hours', description: 'Close tickets after this many hours without activity (0 = off)', min_value: LIMITS.autoCloseHours[0], max_value: LIMITS.autoCloseHours[1] },
        { type: OptionType.Integer, name: 'auto_close_warn_hours', description: 'Warn this many hours before auto-closing', min_value: LIMITS.autoCloseWarnHours[0], max_value: LIMITS.autoCloseWarnHours[1] },
        {
          type: OptionType.String,
          name: 'opener_leaves',
          description: 'When a member with open tickets leaves the server',
          choices: [
            { name: 'Close their tickets', value: 'close' },
            { name: 'Flag them (note in the ticket and the log)', value: 'flag' },
            { name: 'Do nothing', value: 'nothing' },
          ],
        },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: 'transcripts',
      description: 'How long transcripts are kept and who gets them',
      options: [
        { type: OptionType.Integer, name: 'retention_days', description: 'Days to keep new transcripts (0 = forever)', min_value: RETENTION_DAYS_LIMITS[0], max_value: RETENTION_DAYS_LIMITS[1] },
        { type: OptionType.Boolean, name: 'dm_opener', description: 'Send the member who opened a ticket a link to its transcript?' },
      ],
    },
  ] as never,
});

/** `/config show|tickets` — see and change ticket behaviour (channels and roles: `/setup`). */
export const configCommand: CommandModule<APIChatInputApplicationCommandInteraction> = {
  name: 'config',
  async execute(interaction, deps) {
    const guildId = requireManageGuild(interaction);
    const o = new CommandOptions(interaction);
    switch (o.subcommand) {
      case 'show': {
        const settings = await requireSettings(deps.tickets, guildId);
        return { reply: ephemeralReply(describeSettings(settings)) };
      }
      case 'tickets': {
        // A changed auto-close setting is applied to open tickets by the worker; the answer does not wait for it.
        const { settings, rescheduling } = await changeBehaviour(
          guildId,
          {
            openerCanClose: o.boolean('opener_can_close') ?? undefined,
            reopenWindowHours: o.integer('reopen_window_hours') ?? undefined,
            closeDelaySeconds: o.integer('close_delay_seconds') ?? undefined,
            autoCloseHours: o.integer('auto_close_hours') ?? undefined,
            autoCloseWarnHours: o.integer('auto_close_warn_hours') ?? undefined,
            openerLeaves: o.string('opener_leaves') ?? undefined,
          },
          deps.clock.now(),
          deps,
        );
        const note = rescheduling ? ' Tickets already open follow the new auto-close setting from their last activity.' : '';
        return { reply: ephemeralReply(`Saved.${note}\n${describeSettings(settings)}`) };
      }
      case 'transcripts': {
        const settings = await changeTranscriptSettings(deps.tickets, guildId, { retentionDays: o.integer('retention_days') ?? undefined, dmOpener: o.boolean('dm_opener') ?? undefined }, deps.clock.now());
        return { reply: ephemeralReply(`Saved. A new retention applies to transcripts stored from now on.\n${describeSettings(settings)}`) };
      }
      default:
        throw new StaleActionError();
    }
  },
};

/** The settings as an admin reads them. */
export function describeSettings(s: GuildSettings): string {
  return [
    '**Ticket settings**',
    `• Staff: ${s.staffRoleIds.map(roleMention).join(', ') || 'none'}`,
    `• Mode: ${s.mode === 'thread' ? `private threads under ${s.supportChannelId ? channelLink(s.supportChannelId) : '(no channel)'}` : `channels in ${s.ticketCategoryId ? channelLink(s.ticketCategoryId) : '(no category)'}`}`,
    `• Log channel: ${s.logChannelId ? channelLink(s.logChannelId) : 'none'} · Transcripts: ${s.transcriptChannelId ? channelLink(s.transcriptChannelId) : 'none'}`,
    `• Opener can close: ${s.openerCanClose ? 'yes' : 'no'} · Reopen window: ${s.reopenWindowHours ? `${s.reopenWindowHours} h` : 'never'} · Close delay: ${s.closeDelaySeconds} s`,
    channelReopenNote(s),
    `• Auto-close: ${s.autoCloseHours ? `after ${s.autoCloseHours} h without activity, warning ${s.autoCloseWarnHours} h before` : 'off'}`,
    `• When an opener leaves the server: ${OPENER_LEAVES_LABELS[openerLeavesOf(s)]}`,
    describeTranscriptSettings(s),
  ]
    .filter((line) => line !== null)
    .join('\n');
}

const OPENER_LEAVES_LABELS: Record<OpenerLeavesAction, string> = { close: 'close their tickets', flag: 'flag their tickets', nothing: 'nothing' };

/**
 * Channel mode: a closed ticket's channel is deleted after the close delay, and a deleted channel
 * cannot be reopened, so the close delay (not the reopen window) is what an admin really gets.
 */
function channelReopenNote(s: GuildSettings): string | null {
  if (s.mode !== 'channel' || !s.reopenWindowHours) return null;
  return `  ↳ Ticket channels are deleted ${s.closeDelaySeconds} s after closing and can be reopened only until then (the close delay, not the reopen window). Raise \`close_delay_seconds\` (up to 900) to allow later reopens.`;
}
