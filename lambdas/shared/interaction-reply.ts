import type { APIInteractionResponse } from 'discord-api-types/v10';
import { InteractionResponseType, MessageFlags } from './discord-constants';
import { isUserError } from './errors';

/** Generic text for errors we did not foresee: the detail goes to logs, not to users. */
export const GENERIC_ERROR_MESSAGE = 'Something went wrong on our side. Please try again in a moment; if it keeps happening, contact the server admins.';

/** An ephemeral message (only the invoking user sees it). @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-messages */
export function ephemeralReply(content: string): APIInteractionResponse {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
  };
}

/** ACK now, answer later by editing `@original`. @see https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction */
export function deferredReply(opts: { ephemeral: boolean; update?: boolean }): APIInteractionResponse {
  if (opts.update) return { type: InteractionResponseType.DeferredMessageUpdate };
  return { type: InteractionResponseType.DeferredChannelMessageWithSource, data: opts.ephemeral ? { flags: MessageFlags.Ephemeral } : {} };
}

/** The text a user sees for an error: a user error's own message, or the generic one. */
export function userFacingMessage(err: unknown): string {
  return isUserError(err) ? err.message : GENERIC_ERROR_MESSAGE;
}

/**
 * The one mapping from an error to an interaction reply (always ephemeral). An autocomplete
 * interaction cannot show a message — Discord accepts only a type-8 result there — so it gets no
 * choices. @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type
 */
export function errorToInteractionResponse(err: unknown, opts: { autocomplete?: boolean } = {}): APIInteractionResponse {
  if (opts.autocomplete) return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
  return ephemeralReply(userFacingMessage(err));
}
