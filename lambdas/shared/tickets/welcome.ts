import type { APIEmbed } from 'discord-api-types/v10';
import { buildCustomId } from '../custom-id';
import type { MessageBody } from '../ports/discord';
import { categoryLabel, roleMention, ticketLabel, userMention } from './messages';
import type { Category, Ticket } from './model';

const PRIORITY_COLORS = { low: 0x95a5a6, normal: 0x5865f2, high: 0xe67e22, urgent: 0xe74c3c } as const;

/** Buttons on a ticket's welcome message. @see https://discord.com/developers/docs/components/reference#button */
export function ticketButtons(ticket: Ticket) {
  if (ticket.status === 'closed') return [];
  return [
    {
      type: 1 as const,
      components: [
        { type: 2 as const, style: 4 as const, label: 'Close', emoji: { name: '🔒' }, custom_id: buildCustomId('ticket-close', String(ticket.number)) },
        ticket.claimedBy
          ? { type: 2 as const, style: 2 as const, label: 'Unclaim', custom_id: buildCustomId('ticket-unclaim', String(ticket.number)) }
          : { type: 2 as const, style: 1 as const, label: 'Claim', emoji: { name: '🙋' }, custom_id: buildCustomId('ticket-claim', String(ticket.number)) },
      ],
    },
  ];
}

/** The ticket's summary embed: who, what, state. Re-rendered when priority, claim or status changes. */
export function ticketEmbed(ticket: Ticket, category: Pick<Category, 'name' | 'emoji'>, note: string | null = null): APIEmbed {
  const fields: NonNullable<APIEmbed['fields']> = [
    { name: 'Opened by', value: userMention(ticket.openerId), inline: true },
    { name: 'Category', value: categoryLabel(category), inline: true },
    { name: 'Priority', value: ticket.priority[0].toUpperCase() + ticket.priority.slice(1), inline: true },
    { name: 'Claimed by', value: ticket.claimedBy ? userMention(ticket.claimedBy) : 'Nobody yet', inline: true },
  ];
  if (ticket.status === 'closed') {
    // Closed by nobody: idleness, or a gateway event (channel removed, opener left) — the reason says which.
    fields.push({ name: 'Closed', value: ticket.closedBy ? `by ${userMention(ticket.closedBy)}` : `automatically${ticket.closeReason ? ` (${ticket.closeReason})` : ''}`.slice(0, 1024), inline: true });
  }
  if (ticket.aboutMessageUrl) fields.push({ name: 'About this message', value: ticket.aboutMessageUrl, inline: false });
  for (const a of ticket.answers) fields.push({ name: a.label.slice(0, 256), value: a.value.slice(0, 1024), inline: false });
  return {
    title: `Ticket ${ticketLabel(ticket)}`,
    description: note ?? 'Describe your issue here; the staff will be with you soon.',
    color: PRIORITY_COLORS[ticket.priority],
    fields,
    timestamp: new Date(ticket.createdAt).toISOString(),
  };
}

/**
 * The first message in a ticket: mentions the opener and the staff roles (only those — nothing
 * else can ping), the summary embed, and the Close / Claim buttons.
 */
export function welcomeMessage(ticket: Ticket, category: Pick<Category, 'name' | 'emoji'>, staffRoleIds: string[], note: string | null): MessageBody {
  return {
    content: [userMention(ticket.openerId), ...staffRoleIds.map(roleMention)].join(' '),
    embeds: [ticketEmbed(ticket, category, note)],
    components: ticketButtons(ticket),
    allowed_mentions: { users: [ticket.openerId], roles: staffRoleIds },
  };
}
