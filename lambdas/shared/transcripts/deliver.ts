import { ButtonStyle, ComponentKind } from '../discord-constants';
import type { MessageBody } from '../ports/discord';
import { messageNonce } from '../message-nonce';
import { categoryLabel, ticketLabel, userMention } from '../tickets/messages';
import type { Ticket } from '../tickets/model';
import type { TranscriptBuildDeps } from './build';
import { OPENER_LINK_TTL_SECONDS, signLink, viewerUrl } from './links';
import type { TranscriptRecord } from './ports';
import { safeError } from '../safe-error';

const stamp = (ms: number) => `<t:${Math.floor(ms / 1000)}:f>`;

export function durationText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

const stars = (n: number | null) => (n ? `${'★'.repeat(n)}${'☆'.repeat(5 - n)}` : 'not rated yet');

/**
 * The transcript-channel post: the ticket at a glance and a link button to the viewer (staff open it
 * with their dashboard login; `/ticket transcript` gives a signed link instead).
 * @see https://discord.com/developers/docs/resources/message#embed-object
 */
export function transcriptEmbed(ticket: Ticket & { closedAt: number }, record: Pick<TranscriptRecord, 'messageCount'>, categoryName: string, url: string): MessageBody {
  return {
    embeds: [
      {
        title: `Transcript of ticket ${ticketLabel(ticket)}`,
        color: 0x5865f2,
        fields: [
          { name: 'Opened by', value: userMention(ticket.openerId), inline: true },
          { name: 'Category', value: categoryName, inline: true },
          { name: 'Claimed by', value: ticket.claimedBy ? userMention(ticket.claimedBy) : '—', inline: true },
          { name: 'Opened', value: stamp(ticket.createdAt), inline: true },
          { name: 'Closed', value: `${stamp(ticket.closedAt)}${ticket.closedBy ? ` by ${userMention(ticket.closedBy)}` : ' (auto-close)'}`, inline: true },
          { name: 'Duration', value: durationText(ticket.closedAt - ticket.createdAt), inline: true },
          { name: 'Messages', value: String(record.messageCount), inline: true },
          { name: 'Rating', value: stars(ticket.rating), inline: true },
          { name: 'Close reason', value: ticket.closeReason ?? '—', inline: false },
        ],
      },
    ],
    components: [{ type: ComponentKind.ActionRow, components: [{ type: ComponentKind.Button, style: ButtonStyle.Link, label: 'View transcript', url }] }] as MessageBody['components'],
    allowed_mentions: { parse: [] },
  };
}

/** The embed for a stored transcript, from the ticket row as it is now (a rating given since shows). */
export async function embedFor(ticket: Ticket & { closedAt: number }, record: TranscriptRecord, deps: Pick<TranscriptBuildDeps, 'tickets' | 'transcripts'>): Promise<MessageBody> {
  const category = await deps.tickets.getCategory(ticket.guildId, ticket.categoryId);
  return transcriptEmbed(ticket, record, category ? categoryLabel(category) : ticket.categoryId, viewerUrl(deps.transcripts.viewerBaseUrl, ticket.guildId, ticket.number));
}

/**
 * A nonce per close and message kind (Discord keeps at most 25 characters; the bot is the author
 * everywhere, so it names the guild too): a repeated post within minutes returns the first one.
 * The transcript's post and DM use it, and so do the close's own messages (notice, log line,
 * feedback prompt), so a redelivered job posts none of them twice.
 */
export function deliveryNonce(ticket: Pick<Ticket, 'guildId' | 'number'> & { closedAt: number }, kind: 'embed' | 'dm' | 'close-notice' | 'close-log' | 'feedback'): string {
  return messageNonce(ticket.guildId, ticket.number, ticket.closedAt, kind);
}

/**
 * Posts the embed in the guild's transcript channel and, when the guild enables it, DMs the opener a
 * signed link. Returns where the embed went (null without a transcript channel, or when the post
 * failed). Each is best effort on its own: whatever stops one (closed DMs, a missing permission, an
 * outage) is logged, and the other still goes out — a failed DM never hides the post a rating
 * given later is shown on.
 */
export async function deliverTranscript(ticket: Ticket & { closedAt: number }, record: TranscriptRecord, deps: TranscriptBuildDeps): Promise<{ channelId: string; messageId: string } | null> {
  const settings = await deps.tickets.getSettings(ticket.guildId);
  const { linkSecret, viewerBaseUrl } = deps.transcripts;
  let posted: { channelId: string; messageId: string } | null = null;
  if (settings?.transcriptChannelId) {
    // Read again: a rating may have come in while the transcript was being built.
    const current = await deps.tickets.getTicket(ticket.guildId, ticket.number);
    const fresh = current?.closedAt === ticket.closedAt ? (current as Ticket & { closedAt: number }) : ticket;
    try {
      const { id } = await deps.discord.postMessage(settings.transcriptChannelId, { ...(await embedFor(fresh, record, deps)), nonce: deliveryNonce(ticket, 'embed'), enforce_nonce: true });
      posted = { channelId: settings.transcriptChannelId, messageId: id };
    } catch (err) {
      // A missing permission or a deleted channel must not keep the opener's DM from going out.
      deps.log.warn('could not post the transcript in the transcript channel', { guildId: ticket.guildId, number: ticket.number, error: safeError(err) });
    }
  }
  if (settings?.transcriptDmOpener) {
    const expiresAt = Math.floor(deps.clock.now() / 1000) + OPENER_LINK_TTL_SECONDS;
    const url = viewerUrl(viewerBaseUrl, ticket.guildId, ticket.number, signLink(linkSecret, { guildId: ticket.guildId, number: ticket.number, userId: ticket.openerId, expiresAt }));
    try {
      // false: the opener closed DMs from server members (nothing to do about that).
      await deps.discord.sendDirectMessage(ticket.openerId, {
        content: `The transcript of your ticket ${ticketLabel(ticket)} is ready. This link is for you only and works until ${stamp(expiresAt * 1000)}.`,
        components: [{ type: ComponentKind.ActionRow, components: [{ type: ComponentKind.Button, style: ButtonStyle.Link, label: 'Read the transcript', url }] }] as MessageBody['components'],
        allowed_mentions: { parse: [] },
        nonce: deliveryNonce(ticket, 'dm'),
        enforce_nonce: true,
      });
    } catch (err) {
      deps.log.warn('could not DM the transcript link to the opener', { guildId: ticket.guildId, number: ticket.number, error: safeError(err) });
    }
  }
  return posted;
}
