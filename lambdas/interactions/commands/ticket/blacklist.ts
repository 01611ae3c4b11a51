import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { StaleActionError } from '../../../shared/errors';
import { ephemeralReply } from '../../../shared/interaction-reply';
import { blacklistMember, describeBlacklist, unblacklistMember } from '../../../shared/tickets/blacklist';
import { CommandOptions } from '../../options';
import { actorOf, requireSettings, resolvedUser } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';

/** `/ticket blacklist add|remove|list` — guild staff (its staff roles) or admins; answers only the invoker. */
export async function blacklist(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps, sub: string): Promise<Outcome> {
  const guildId = interaction.guild_id!;
  const settings = await requireSettings(guildId, deps);
  const actor = actorOf(interaction, settings, null);
  const o = new CommandOptions(interaction);
  switch (sub) {
    case 'add':
      return { reply: ephemeralReply(await blacklistMember(guildId, actor, resolvedUser(interaction, o.userId('member'), { settings, category: null }), o.string('reason'), deps)) };
    case 'remove':
      return { reply: ephemeralReply(await unblacklistMember(guildId, actor, o.userId('member'), deps)) };
    case 'list':
      return { reply: ephemeralReply(await describeBlacklist(guildId, actor, deps)) };
    default:
      throw new StaleActionError();
  }
}
