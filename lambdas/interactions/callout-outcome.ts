import type { APIInteraction } from 'discord-api-types/v10';
import type { CalloutRequestOutcome } from '../shared/callouts/request';
import type { GuildSettings } from '../shared/tickets/model';
import { buildCustomId } from '../shared/custom-id';
import { ButtonStyle, ComponentKind, InteractionResponseType, MessageFlags } from '../shared/discord-constants';
import { isStaff } from './access';
import { interactionContext } from './context';
import type { Outcome } from './types';

/** Staff for callouts: the guild's staff roles or Manage Server (before `/setup`: Manage Server only). */
export const calloutStaff = (interaction: APIInteraction) => (settings: GuildSettings | null) => isStaff(interaction, settings ?? { staffRoleIds: [] });

/**
 * The interaction's answer to a callout request: the terms with Accept / Decline (ephemeral), or a
 * deferral while the worker makes the invite and the HQ alert. `update`: answering a button on the
 * terms message, which the outcome then replaces.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type
 */
export function calloutOutcome(interaction: APIInteraction, outcome: CalloutRequestOutcome, update: boolean): Outcome {
  if (outcome.kind === 'reserved') {
    const { guildId, calloutId } = outcome.callout;
    return { defer: { ephemeral: true, update }, job: { type: 'callout.open', ctx: interactionContext(interaction), guildId, calloutId } };
  }
  return {
    reply: {
      type: update ? InteractionResponseType.UpdateMessage : InteractionResponseType.ChannelMessageWithSource,
      data: {
        flags: MessageFlags.Ephemeral,
        allowed_mentions: { parse: [] },
        embeds: [{ title: `Interactive Support Terms (version ${outcome.version})`, description: outcome.text }],
        content: 'Before Deskwire support is called into this server, please read and accept the terms.',
        components: [
          {
            type: ComponentKind.ActionRow,
            components: [
              { type: ComponentKind.Button, style: ButtonStyle.Success, label: 'Accept and call support', custom_id: buildCustomId('callout-accept', outcome.version) },
              { type: ComponentKind.Button, style: ButtonStyle.Secondary, label: 'Decline', custom_id: buildCustomId('callout-decline') },
            ],
          },
        ] as never,
      },
    },
  };
}
