import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { claim } from '../commands/ticket/claim';
import { ticketNumberArg } from '../ticket-scope';
import type { ActionModule } from '../types';

/** The welcome message's Claim button: `dw1:ticket-claim:<n>`. */
export const ticketClaimButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'ticket-claim',
  execute: (interaction, [n], deps) => claim(interaction, deps, ticketNumberArg(n)),
};
