import type { APIInteraction } from 'discord-api-types/v10';
import { claimTicket, unclaimTicket } from '../../../shared/tickets/work-ticket';
import { ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';
import { publicUpdate } from './outcome';

/** `/ticket claim` and the welcome message's Claim button (`number` given). */
export async function claim(interaction: APIInteraction, deps: InteractionDeps, number: number | null = null): Promise<Outcome> {
  const ticket = await claimTicket(await ticketScope(interaction, deps, number), deps);
  return publicUpdate(interaction, ticket, { kind: 'claim' });
}

/** `/ticket unclaim` and the welcome message's Unclaim button. */
export async function unclaim(interaction: APIInteraction, deps: InteractionDeps, number: number | null = null): Promise<Outcome> {
  const { ticket, previous } = await unclaimTicket(await ticketScope(interaction, deps, number), deps);
  return publicUpdate(interaction, ticket, { kind: 'unclaim', previous });
}
