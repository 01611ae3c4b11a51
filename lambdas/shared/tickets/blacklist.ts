import type { Clock } from '../clock';
import { UserError } from '../errors';
import { relativeTime, userMention } from './messages';
import type { TicketStore } from './ports';
import { requireStaff } from './staff';

/**
 * The guild's ticket blacklist (`BLACKLIST#<user>` items): a blacklisted member is refused when
 * opening a ticket (see `request-ticket.ts`). Staff of the guild (its staff roles) or admins
 * (Manage Server) manage it; staff and bots cannot be blacklisted.
 */
export interface BlacklistDeps {
  tickets: TicketStore;
  clock: Clock;
}

export const MAX_BLACKLIST_REASON = 200;
/** Entries shown by `list` (a Discord message holds 2000 characters). */
const LIST_LIMIT = 25;

export async function blacklistMember(
  guildId: string,
  actor: { id: string; staff: boolean },
  target: { id: string; bot: boolean; staff: boolean } | null,
  reason: string | null,
  deps: BlacklistDeps,
): Promise<string> {
  requireStaff(actor, 'manage the ticket blacklist');
  if (!target) throw new UserError('Choose a member of this server.');
  if (target.id === actor.id) throw new UserError('You cannot blacklist yourself.');
  if (target.bot) throw new UserError('Bots cannot open tickets anyway.');
  if (target.staff) throw new UserError(`${userMention(target.id)} is ticket staff and cannot be blacklisted.`);
  const text = reason?.trim() || null;
  if (text && text.length > MAX_BLACKLIST_REASON) throw new UserError(`Keep the reason under ${MAX_BLACKLIST_REASON} characters.`);
  const existing = await deps.tickets.blacklistEntry(guildId, target.id);
  await deps.tickets.addToBlacklist(guildId, { userId: target.id, reason: text, addedBy: actor.id, addedAt: deps.clock.now() });
  const why = text ? ` Reason: ${text}` : '';
  return existing ? `${userMention(target.id)} was already blacklisted; the entry is updated.${why}` : `🚫 ${userMention(target.id)} can no longer open tickets here.${why}`;
}

export async function unblacklistMember(guildId: string, actor: { staff: boolean }, targetId: string | null, deps: BlacklistDeps): Promise<string> {
  requireStaff(actor, 'manage the ticket blacklist');
  if (!targetId) throw new UserError('Choose a member.');
  const removed = await deps.tickets.removeFromBlacklist(guildId, targetId);
  if (!removed) throw new UserError(`${userMention(targetId)} is not on the ticket blacklist.`);
  return `✅ ${userMention(targetId)} can open tickets again.`;
}

export async function describeBlacklist(guildId: string, actor: { staff: boolean }, deps: BlacklistDeps): Promise<string> {
  requireStaff(actor, 'manage the ticket blacklist');
  const entries = await deps.tickets.listBlacklist(guildId);
  if (entries.length === 0) return 'Nobody is on the ticket blacklist.';
  const lines = entries.slice(0, LIST_LIMIT).map((e) => `• ${userMention(e.userId)}${e.reason ? ` — ${e.reason}` : ''} (by ${userMention(e.addedBy)}, ${relativeTime(e.addedAt)})`);
  const more = entries.length > LIST_LIMIT ? `\n…and ${entries.length - LIST_LIMIT} more.` : '';
  return `**Ticket blacklist** (${entries.length})\n${lines.join('\n')}${more}`;
}
