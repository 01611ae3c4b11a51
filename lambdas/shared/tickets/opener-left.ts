import type { MessageBody } from '../ports/discord';
import { channelLink, ticketLabel, userMention } from './messages';
import type { Ticket } from './model';

/** Posted in a ticket whose opener left the server (the guild's `openerLeaves` is `flag`). */
export function openerLeftNotice(ticket: Ticket): MessageBody {
  return {
    content: `👋 ${userMention(ticket.openerId)}, who opened this ticket, left the server. They can no longer read or answer here. Staff: close it with \`/ticket close\` when you are done.`,
    allowed_mentions: { parse: [] },
  };
}

/** The staff log line for the same. */
export function openerLeftLogLine(ticket: Ticket): string {
  const where = ticket.channelId ? ` (${channelLink(ticket.channelId)})` : '';
  return `👋 ${userMention(ticket.openerId)}, who opened ticket ${ticketLabel(ticket)}${where}, left the server; the ticket stays open.`;
}
