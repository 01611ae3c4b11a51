import type { APIChatInputApplicationCommandInteraction, APIInteractionResponse } from 'discord-api-types/v10';
import { buildCustomId } from '../../../shared/custom-id';
import { ButtonStyle, ComponentKind, InteractionResponseType } from '../../../shared/discord-constants';
import { checkReason, reasonEmbeds } from '../../../shared/tickets/close-reason';
import { userMention } from '../../../shared/tickets/messages';
import type { Ticket } from '../../../shared/tickets/model';
import { checkCloseRequest, closeRequestPeriod } from '../../../shared/tickets/work-ticket';
import { CommandOptions } from '../../options';
import { ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';

/**
 * A public message in the ticket pinging the opener, with Accept (`dw1:close-accept:<n>:<period>`) /
 * Decline (`dw1:close-decline:<n>:<period>`); `<period>` ties the answer to this open period.
 */
export function closeRequestMessage(ticket: Ticket, staffId: string, reason: string | null): APIInteractionResponse {
  const period = closeRequestPeriod(ticket);
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: {
      content: `${userMention(ticket.openerId)}, ${userMention(staffId)} would like to close this ticket. Is everything sorted?`,
      embeds: reasonEmbeds(reason),
      components: [
        {
          type: ComponentKind.ActionRow,
          components: [
            { type: ComponentKind.Button, style: ButtonStyle.Success, label: 'Yes, close it', custom_id: buildCustomId('close-accept', String(ticket.number), period) },
            { type: ComponentKind.Button, style: ButtonStyle.Secondary, label: 'No, keep it open', custom_id: buildCustomId('close-decline', String(ticket.number), period) },
          ],
        },
      ] as never,
      allowed_mentions: { users: [ticket.openerId] },
    },
  };
}

/** `/ticket close-request [reason]` — staff ask; only the opener can answer. */
export async function requestClose(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps): Promise<Outcome> {
  const scope = await ticketScope(interaction, deps);
  const reason = checkReason(new CommandOptions(interaction).string('reason'));
  await checkCloseRequest(scope, deps);
  return { reply: closeRequestMessage(scope.ticket, scope.actor.id, reason) };
}
