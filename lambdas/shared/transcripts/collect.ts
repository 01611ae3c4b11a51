import type { APIMessage } from 'discord-api-types/v10';
import { attachmentFromApi } from '../contracts/gateway-event';
import type { LoggedAttachment, LoggedMessage } from '../tickets/live-log';
import type { Category, Ticket } from '../tickets/model';
import type { TrailEvent } from '../tickets/trail';
import {
  iso,
  TRANSCRIPT_FORMAT,
  TRANSCRIPT_VERSION,
  type TranscriptAttachment,
  type TranscriptDocument,
  type TranscriptEmbed,
  type TranscriptEntry,
  type TranscriptMessage,
  type TranscriptSystemEntry,
  type TranscriptUser,
} from './model';

/** A message as the transcript sees it: the live log's shape plus what only REST reports (reactions). */
export type CollectedMessage = LoggedMessage & { reactions: Array<{ emoji: string; count: number }> };

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** A REST message in the live log's shape (the log and history then merge field by field). */
export function fromApiMessage(m: APIMessage, guildId: string): CollectedMessage {
  const attachments: LoggedAttachment[] = m.attachments.map(attachmentFromApi);
  return {
    guildId,
    channelId: m.channel_id,
    messageId: m.id,
    author: { id: m.author.id, username: m.author.username, globalName: m.author.global_name ?? null, avatar: m.author.avatar ?? null, bot: Boolean(m.author.bot) },
    content: m.content,
    createdAt: Date.parse(m.timestamp),
    editedAt: m.edited_timestamp ? Date.parse(m.edited_timestamp) : null,
    edits: [],
    deletedAt: null,
    attachments,
    embeds: m.embeds as Array<Record<string, unknown>>,
    stickers: (m.sticker_items ?? []).map((s) => ({ id: s.id, name: s.name, formatType: s.format_type })),
    replyTo: m.message_reference?.message_id ?? null,
    mentions: { users: m.mentions.map((u) => ({ id: u.id, name: u.global_name ?? u.username })), roles: m.mention_roles, channels: [] },
    reactions: (m.reactions ?? []).map((r) => ({ emoji: r.emoji.id ? `:${r.emoji.name ?? 'emoji'}:` : (r.emoji.name ?? '?'), count: r.count })),
  };
}

const bySnowflake = (a: { messageId: string }, b: { messageId: string }) => {
  const x = BigInt(a.messageId);
  const y = BigInt(b.messageId);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * The complete history: the live log (what the gateway saw, including deleted messages and
 * earlier versions of edits) merged with the REST history read at close (what the gateway may have
 * missed). A message in both takes its current state from REST (fresh CDN links, reactions) and its
 * edit history from the log; a message only in the log was deleted or is in a gap of REST.
 */
export function mergeHistory(log: LoggedMessage[], history: CollectedMessage[]): CollectedMessage[] {
  const merged = new Map<string, CollectedMessage>();
  for (const m of log) merged.set(m.messageId, { ...m, reactions: [] });
  for (const h of history) {
    const logged = merged.get(h.messageId);
    if (!logged) {
      merged.set(h.messageId, h);
      continue;
    }
    const userNames = new Map([...logged.mentions.users, ...h.mentions.users].map((u) => [u.id, u]));
    merged.set(h.messageId, {
      ...h,
      edits: logged.edits,
      // REST still has it, so it was not deleted (a delete the log recorded early would be wrong).
      deletedAt: null,
      editedAt: h.editedAt ?? logged.editedAt,
      mentions: { users: [...userNames.values()], roles: [...new Set([...logged.mentions.roles, ...h.mentions.roles])], channels: [...new Set([...logged.mentions.channels, ...h.mentions.channels])] },
    });
  }
  return [...merged.values()].sort(bySnowflake);
}

function toEmbed(e: Record<string, unknown>): TranscriptEmbed {
  const author = e.author as { name?: unknown } | undefined;
  const footer = e.footer as { text?: unknown } | undefined;
  const fields = Array.isArray(e.fields) ? (e.fields as Array<Record<string, unknown>>) : [];
  return {
    title: str(e.title),
    description: str(e.description),
    url: str(e.url),
    color: typeof e.color === 'number' ? e.color : null,
    author: str(author?.name),
    footer: str(footer?.text),
    fields: fields.map((f) => ({ name: str(f.name) ?? '', value: str(f.value) ?? '', inline: Boolean(f.inline) })),
  };
}

/** What re-hosting decided for one attachment. */
export type AttachmentOutcome = Pick<TranscriptAttachment, 'path' | 'note'>;

export interface DocumentInput {
  ticket: Ticket & { closedAt: number };
  category: Pick<Category, 'id' | 'name'> | null;
  guildName: string | null;
  messages: CollectedMessage[];
  trail: TrailEvent[];
  /** Names known for users who appear without a message (staff who claimed, the opener). */
  knownUsers: Record<string, Omit<TranscriptUser, 'avatar'>>;
  roleNames: Record<string, string>;
  channelNames: Record<string, string>;
  attachments: Record<string, AttachmentOutcome>;
  avatars: Record<string, string>;
  generatedAt: number;
  /** Whether the channel's REST history was read in full (see `TranscriptDocument.historyComplete`). */
  historyComplete: boolean;
}

/** System entries from the row and the trail: opened (with the form), the changes, this close, the rating. */
function systemEntries(input: DocumentInput, roleNames: Record<string, string>): TranscriptSystemEntry[] {
  const t = input.ticket;
  const out: TranscriptSystemEntry[] = [
    {
      kind: 'system',
      event: 'opened',
      at: iso(t.createdAt),
      actorId: t.openerId,
      details: { category: input.category?.name ?? t.categoryId, answers: t.answers.map((a) => ({ question: a.label, answer: a.value })) },
    },
  ];
  let closeSeen = false;
  for (const e of input.trail) {
    if (e.at > t.closedAt && e.event !== 'rated') continue;
    if (e.event === 'closed' && e.at === t.closedAt) closeSeen = true;
    const details: TranscriptSystemEntry['details'] = { ...e.details };
    if (typeof details.roleId === 'string') details.roleName = roleNames[details.roleId] ?? 'unknown-role';
    out.push({ kind: 'system', event: e.event, at: iso(e.at), actorId: e.actorId, details });
  }
  if (!closeSeen) out.push({ kind: 'system', event: 'closed', at: iso(t.closedAt), actorId: t.closedBy, details: { reason: t.closeReason } });
  if (t.rating !== null && !input.trail.some((e) => e.event === 'rated')) {
    out.push({ kind: 'system', event: 'rated', at: iso(t.closedAt), actorId: t.openerId, details: { rating: t.rating, feedback: t.feedback } });
  }
  return out;
}

/** Assembles the transcript document (the JSON export; the HTML is rendered from it). */
export function buildDocument(input: DocumentInput): TranscriptDocument {
  const users: Record<string, TranscriptUser> = {};
  for (const [id, u] of Object.entries(input.knownUsers)) users[id] = { ...u, avatar: input.avatars[id] ?? null };
  const messages: TranscriptMessage[] = [];
  let attachments = 0;
  let archived = 0;
  for (const m of input.messages) {
    if (m.author) users[m.author.id] = { id: m.author.id, username: m.author.username, displayName: m.author.globalName, bot: m.author.bot, avatar: input.avatars[m.author.id] ?? null };
    const userNames: Record<string, string> = {};
    for (const u of m.mentions.users) userNames[u.id] = u.name;
    const roleNames: Record<string, string> = {};
    for (const r of m.mentions.roles) if (input.roleNames[r]) roleNames[r] = input.roleNames[r];
    const channelNames: Record<string, string> = {};
    for (const [, id] of m.content.matchAll(/<#(\d{15,21})>/g)) if (input.channelNames[id!]) channelNames[id!] = input.channelNames[id!]!;
    for (const [, id] of m.content.matchAll(/<@&(\d{15,21})>/g)) if (input.roleNames[id!]) roleNames[id!] = input.roleNames[id!]!;
    messages.push({
      kind: 'message',
      id: m.messageId,
      authorId: m.author?.id ?? null,
      createdAt: iso(m.createdAt),
      editedAt: m.editedAt !== null ? iso(m.editedAt) : null,
      deletedAt: m.deletedAt !== null ? iso(m.deletedAt) : null,
      content: m.content,
      edits: m.edits.map((e) => ({ content: e.content, replacedAt: iso(e.replacedAt) })),
      replyTo: m.replyTo,
      attachments: m.attachments.map((a) => {
        attachments++;
        const outcome = input.attachments[a.id] ?? { path: null, note: 'not archived' };
        if (outcome.path) archived++;
        return { id: a.id, filename: a.filename, size: a.size, contentType: a.contentType, width: a.width, height: a.height, path: outcome.path, note: outcome.note };
      }),
      embeds: m.embeds.map(toEmbed),
      stickers: m.stickers.map((s) => ({ id: s.id, name: s.name })),
      reactions: m.reactions,
      mentions: { users: userNames, roles: roleNames, channels: channelNames },
    });
  }
  const system = systemEntries(input, input.roleNames);
  // System entries sort before messages of the same millisecond (an open comes before its welcome).
  const entries: TranscriptEntry[] = [...system.map((e, i) => ({ e, at: Date.parse(e.at), o: 0, i })), ...messages.map((e, i) => ({ e, at: Date.parse(e.createdAt), o: 1, i }))]
    .sort((a, b) => a.at - b.at || a.o - b.o || a.i - b.i)
    .map((x) => x.e);
  const t = input.ticket;
  return {
    format: TRANSCRIPT_FORMAT,
    version: TRANSCRIPT_VERSION,
    generatedAt: iso(input.generatedAt),
    historyComplete: input.historyComplete,
    guild: { id: t.guildId, name: input.guildName },
    ticket: {
      number: t.number,
      category: { id: t.categoryId, name: input.category?.name ?? t.categoryId },
      mode: t.mode,
      channelId: t.channelId,
      openerId: t.openerId,
      claimedBy: t.claimedBy,
      priority: t.priority,
      openedAt: iso(t.createdAt),
      closedAt: iso(t.closedAt),
      closedBy: t.closedBy,
      closeReason: t.closeReason,
      answers: t.answers.map((a) => ({ question: a.label, answer: a.value })),
      rating: t.rating,
      feedback: t.feedback,
    },
    users,
    entries,
    stats: {
      messages: messages.length,
      deleted: messages.filter((m) => m.deletedAt).length,
      edited: messages.filter((m) => m.editedAt || m.edits.length).length,
      attachments,
      attachmentsArchived: archived,
      participants: new Set(messages.map((m) => m.authorId).filter(Boolean)).size,
    },
  };
}
