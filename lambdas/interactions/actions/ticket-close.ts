import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { askToClose } from '../commands/ticket/close';
import { ticketNumberArg } from '../ticket-scope';
import type { ActionModule } from '../types';

/** The welcome message's Close button: `dw1:ticket-close:<n>` → the same confirmation as `/ticket close`. */
export const ticketCloseButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'ticket-close',
  execute: (interaction, [n], deps) => askToClose(interaction, deps, ticketNumberArg(n), null),
};
