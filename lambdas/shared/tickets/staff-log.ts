import type { DiscordApi } from '../ports/discord';
import type { GuildSettings } from './model';

/**
 * A line in the guild's log channel (opened, closed, reopened, problems staff should know about).
 * Best effort: a missing or unwritable log channel must never fail the ticket action itself.
 */
export async function logToStaff(
  settings: Pick<GuildSettings, 'logChannelId'>,
  content: string,
  deps: { discord: Pick<DiscordApi, 'postMessage'>; log: { warn(msg: string, extra: Record<string, unknown>): void } },
  /** With a nonce, a repeated line (a redelivered job) is posted once (`enforce_nonce`). */
  nonce?: string,
): Promise<void> {
  if (!settings.logChannelId) return;
  await deps.discord.postMessage(settings.logChannelId, { content, allowed_mentions: { parse: [] }, ...(nonce ? { nonce, enforce_nonce: true } : {}) }).catch((err) => deps.log.warn('could not write to the log channel', { error: (err as Error).name }));
}
