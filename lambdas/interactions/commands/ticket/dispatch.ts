import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { OptionType } from '../../../shared/discord-constants';
import { StaleActionError } from '../../../shared/errors';
import { MAX_BLACKLIST_REASON } from '../../../shared/tickets/blacklist';
import { MAX_CLOSE_REASON, PRIORITIES } from '../../../shared/tickets/model';
import { priorityName } from '../../../shared/tickets/work-ticket';
import { CommandOptions } from '../../options';
import type { InteractionDeps, Outcome } from '../../types';
import { blacklist } from './blacklist';
import { claim, unclaim } from './claim';
import { askToClose } from './close';
import { requestClose } from './close-request';
import { changeMember, changeRole } from './members';
import { priority } from './priority';
import { rename } from './rename';
import { reopen } from './reopen';
import { transcript, transcriptSubcommand } from './transcript';
import { transfer } from './transfer';

const sub = (name: string, description: string, options: unknown[] = []) => ({ type: OptionType.Subcommand, name, description, ...(options.length ? { options } : {}) });
const member = (description: string) => ({ type: OptionType.User, name: 'member', description, required: true });
const role = (description: string) => ({ type: OptionType.Role, name: 'role', description, required: true });
const reason = (description: string, max = MAX_CLOSE_REASON) => ({ type: OptionType.String, name: 'reason', description, required: false, max_length: max });

/**
 * The `/ticket` subcommands that work a ticket, run inside its thread or channel (`reopen` also
 * by number). Staff only, except `close` for the opener when the server allows it.
 * @see https://discord.com/developers/docs/interactions/application-commands#subcommands-and-subcommand-groups
 */
export const TICKET_STAFF_SUBCOMMANDS = [
  sub('claim', 'Staff: take this ticket'),
  sub('unclaim', 'Staff: give this ticket back to all staff'),
  sub('transfer', 'Staff: hand this ticket to another staff member', [member('The staff member who takes over')]),
  sub('add', 'Staff: let a member into this ticket', [member('Who to add')]),
  sub('remove', 'Staff: take a member out of this ticket', [member('Who to remove')]),
  sub('add_role', 'Staff: let a role into this ticket (channel tickets)', [role('The role to add')]),
  sub('remove_role', 'Staff: take a role out of this ticket (channel tickets)', [role('The role to remove')]),
  sub('rename', 'Staff: rename this ticket', [{ type: OptionType.String, name: 'name', description: 'The new name', required: true, min_length: 1, max_length: 100 }]),
  sub('priority', 'Staff: set this ticket’s priority', [
    { type: OptionType.String, name: 'level', description: 'How urgent it is', required: true, choices: PRIORITIES.map((p) => ({ name: priorityName(p), value: p })) },
  ]),
  sub('close', 'Close this ticket (asks to confirm)', [reason('Why it is closed (shown to the member)')]),
  sub('close-request', 'Staff: ask the member who opened this ticket to close it', [reason('Why you think it can be closed')]),
  sub('reopen', 'Staff: reopen a closed ticket', [{ type: OptionType.Integer, name: 'number', description: 'Ticket number (default: this ticket)', required: false, min_value: 1 }]),
  transcriptSubcommand(),
  {
    type: OptionType.SubcommandGroup,
    name: 'blacklist',
    description: 'Staff: members who may not open tickets',
    options: [
      sub('add', 'Stop a member from opening tickets', [member('Who to blacklist'), reason('Why (shown to them when they try)', MAX_BLACKLIST_REASON)]),
      sub('remove', 'Let a member open tickets again', [member('Who to take off the blacklist')]),
      sub('list', 'Show the blacklist'),
    ],
  },
];

/** Routes a `/ticket` subcommand other than `open` to its handler. */
export function workTicket(interaction: APIChatInputApplicationCommandInteraction, subcommand: string, deps: InteractionDeps): Promise<Outcome> {
  const o = new CommandOptions(interaction);
  switch (subcommand) {
    case 'claim':
      return claim(interaction, deps);
    case 'unclaim':
      return unclaim(interaction, deps);
    case 'transfer':
      return transfer(interaction, deps);
    case 'add':
      return changeMember(interaction, deps, 'add');
    case 'remove':
      return changeMember(interaction, deps, 'remove');
    case 'add_role':
      return changeRole(interaction, deps, 'add');
    case 'remove_role':
      return changeRole(interaction, deps, 'remove');
    case 'rename':
      return rename(interaction, deps);
    case 'priority':
      return priority(interaction, deps);
    case 'close':
      return askToClose(interaction, deps, null, o.string('reason'));
    case 'close-request':
      return requestClose(interaction, deps);
    case 'reopen':
      return reopen(interaction, deps);
    case 'transcript':
      return transcript(interaction, deps);
    case 'blacklist add':
    case 'blacklist remove':
    case 'blacklist list':
      return blacklist(interaction, deps, subcommand.slice('blacklist '.length));
    default:
      throw new StaleActionError();
  }
}
