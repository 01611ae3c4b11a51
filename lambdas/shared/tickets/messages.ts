import type { Category, Ticket } from './model';

/** Discord markdown references (rendered by the client, no lookup needed). */
export const channelLink = (channelId: string) => `<#${channelId}>`;
export const userMention = (userId: string) => `<@${userId}>`;
export const roleMention = (roleId: string) => `<@&${roleId}>`;
/**
 * A time every reader sees in their own time zone: `R` relative ("in 3 days"), `f` date and time,
 * `D` date.
 * @see https://discord.com/developers/docs/reference#message-formatting-timestamp-styles
 */
export const discordTime = (epochMs: number, style: 'R' | 'f' | 'D') => `<t:${Math.floor(epochMs / 1000)}:${style}>`;
export const relativeTime = (epochMs: number) => discordTime(epochMs, 'R');

/** A category as users see it: its emoji (if any) and name. */
export const categoryLabel = (c: Pick<Category, 'name' | 'emoji'>) => `${c.emoji ? `${c.emoji} ` : ''}${c.name}`;

export const ticketLabel = (t: Pick<Ticket, 'number'>) => `#${String(t.number).padStart(4, '0')}`;
