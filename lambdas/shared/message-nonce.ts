import { createHash } from 'node:crypto';

/**
 * A stable nonce for one message Deskwire must post at most once (a ticket's welcome, a transcript
 * delivery). Sent with `enforce_nonce: true`, a repeated post within Discord's window returns the
 * first message instead of a second one. Discord keeps at most 25 characters, and the bot is the
 * author everywhere, so the parts name the guild too.
 * @see https://discord.com/developers/docs/resources/message#create-message-jsonform-params
 */
export function messageNonce(...parts: Array<string | number>): string {
  return createHash('sha256').update(parts.join(':')).digest('base64url').slice(0, 25);
}
