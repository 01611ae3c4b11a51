import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { unclaim } from '../commands/ticket/claim';
import { ticketNumberArg } from '../ticket-scope';
import type { ActionModule } from '../types';

/** The welcome message's Unclaim button (shown while claimed): `dw1:ticket-unclaim:<n>`. */
export const ticketUnclaimButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'ticket-unclaim',
  execute: (interaction, [n], deps) => unclaim(interaction, deps, ticketNumberArg(n)),
};
