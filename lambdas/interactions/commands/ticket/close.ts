import type { APIInteraction, APIInteractionResponse } from 'discord-api-types/v10';
import { buildCustomId } from '../../../shared/custom-id';
import { ButtonStyle, ComponentKind, InteractionResponseType, MessageFlags } from '../../../shared/discord-constants';
import { checkReason, reasonEmbeds } from '../../../shared/tickets/close-reason';
import { ticketLabel } from '../../../shared/tickets/messages';
import type { Ticket } from '../../../shared/tickets/model';
import { closeRole } from '../../../shared/tickets/work-ticket';
import { ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';

/** Ephemeral "are you sure": Confirm (`dw1:close-confirm:<n>`) / Cancel (`dw1:close-cancel:<n>`). */
export function closeConfirmation(ticket: Ticket, reason: string | null): APIInteractionResponse {
  const what = ticket.mode === 'thread' ? 'Its thread will be locked and archived' : 'Its channel will be deleted';
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: {
      flags: MessageFlags.Ephemeral,
      content: `Close ticket ${ticketLabel(ticket)}? ${what}.`,
      embeds: reasonEmbeds(reason),
      components: [
        {
          type: ComponentKind.ActionRow,
          components: [
            { type: ComponentKind.Button, style: ButtonStyle.Danger, label: 'Close ticket', custom_id: buildCustomId('close-confirm', String(ticket.number)) },
            { type: ComponentKind.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: buildCustomId('close-cancel', String(ticket.number)) },
          ],
        },
      ] as never,
      allowed_mentions: { parse: [] },
    },
  };
}

/**
 * `/ticket close [reason]` and the welcome message's Close button: staff, or the opener when the
 * server allows it, get a confirmation; nothing closes until they confirm.
 */
export async function askToClose(interaction: APIInteraction, deps: InteractionDeps, number: number | null, rawReason: string | null): Promise<Outcome> {
  const scope = await ticketScope(interaction, deps, number);
  closeRole(scope);
  return { reply: closeConfirmation(scope.ticket, checkReason(rawReason)) };
}
