import {
  ChannelType,
  MessageFlags,
  MessageType,
  type APIAttachment,
  type APIMessage,
  type APIUser,
} from 'discord-api-types/v10';
import { Errors, invalidFormBody, type FieldError } from './errors';
import type { UploadedFile } from './http';
import { isThread, type DiscordModel } from './model';
import { compareSnowflakes } from './snowflake';
import type { ChannelRecord } from './state';

/** Extra fields a message gets when an interaction or webhook, not a plain bot call, creates it. */
export interface MessageOrigin {
  type?: MessageType;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: APIMessage['interaction_metadata'];
  interaction?: APIMessage['interaction'];
  /** Attachments already stored (seeding a user's message with files). */
  attachments?: APIAttachment[];
}

/** Top-level component types a message may carry; everything but action rows needs IS_COMPONENTS_V2. */
const V2_TOP_LEVEL = new Set([9, 10, 12, 13, 14, 17]);

/**
 * Rejects what Discord rejects in a message body: content over 2000 characters, more than 10 embeds,
 * unknown top-level component types, over 5 action rows, over 5 buttons in a row, custom ids over
 * 100 characters, and V2 components without the IS_COMPONENTS_V2 flag.
 *
 * @see https://discord.com/developers/docs/resources/message#create-message-jsonform-params
 * @see https://discord.com/developers/docs/components/reference
 */
export function validateMessageBody(body: Record<string, any>): void {
  const errors: Record<string, FieldError> = {};
  if (typeof body.content === 'string' && body.content.length > 2000) {
    errors.content = { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' };
  }
  if (Array.isArray(body.embeds) && body.embeds.length > 10) {
    errors.embeds = { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' };
  }
  const flags = Number(body.flags ?? 0);
  const v2 = (flags & MessageFlags.IsComponentsV2) !== 0;
  if (Array.isArray(body.components)) {
    if (!v2 && body.components.length > 5) {
      errors.components = { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' };
    }
    body.components.forEach((component: any, i: number) => {
      const type = Number(component?.type);
      if (type !== 1 && !(v2 && V2_TOP_LEVEL.has(type))) {
        errors[`components.${i}`] = {
          code: 'UNION_TYPE_CHOICES',
          message: v2 ? 'Value of field "type" must be one of (1, 9, 10, 12, 13, 14, 17).' : 'Value of field "type" must be one of (1,).',
        };
        return;
      }
      if (type === 1) {
        const children: any[] = Array.isArray(component.components) ? component.components : [];
        if (children.length === 0 || children.length > 5) {
          errors[`components.${i}.components`] = { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' };
        }
        children.forEach((child, j) => {
          if (typeof child?.custom_id === 'string' && child.custom_id.length > 100) {
            errors[`components.${i}.components.${j}.custom_id`] = { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' };
          }
        });
      }
    });
    if (v2 && (body.content || (Array.isArray(body.embeds) && body.embeds.length > 0))) {
      errors.content = { code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', message: 'The \'content\' field cannot be used when using MessageFlags.IS_COMPONENTS_V2' };
    }
  }
  if (Object.keys(errors).length > 0) throw invalidFormBody(errors);
}

/**
 * Works out who a message actually pings from its content and `allowed_mentions` (absent = all
 * parse types allowed), as Discord fills `mentions`, `mention_roles` and `mention_everyone`.
 *
 * @see https://discord.com/developers/docs/resources/message#allowed-mentions-object
 */
export function resolveMentions(
  model: DiscordModel,
  content: string,
  allowed: { parse?: string[]; users?: string[]; roles?: string[] } | undefined,
  guildId: string | undefined,
): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
  const parse = new Set(allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone']);
  const allowedUsers = new Set(allowed?.users ?? []);
  const allowedRoles = new Set(allowed?.roles ?? []);
  const mentions: APIUser[] = [];
  for (const [, id] of content.matchAll(/<@!?(\d{15,21})>/g)) {
    if (!(parse.has('users') || allowedUsers.has(id))) continue;
    const user = model.state.users.get(id)?.user;
    if (user && !mentions.some((u) => u.id === id)) mentions.push(user);
  }
  const roles = guildId ? model.state.guilds.get(guildId)?.roles ?? [] : [];
  const mention_roles: string[] = [];
  for (const [, id] of content.matchAll(/<@&(\d{15,21})>/g)) {
    if (!(parse.has('roles') || allowedRoles.has(id))) continue;
    if (roles.some((r) => r.id === id) && !mention_roles.includes(id)) mention_roles.push(id);
  }
  const mention_everyone = parse.has('everyone') && /@(everyone|here)\b/.test(content);
  return { mentions, mention_roles, mention_everyone };
}

/**
 * Turns `attachments` + uploaded `files[n]` into stored attachments. New uploads are referenced by
 * the index of their `files[n]` field (`{ id: n, filename }`); existing ones (on edit) by their id.
 *
 * @see https://discord.com/developers/docs/reference#uploading-files
 */
export function resolveAttachments(
  model: DiscordModel,
  channelId: string,
  declared: Array<{ id: string | number; filename?: string; description?: string }> | undefined,
  files: UploadedFile[],
  existing: APIAttachment[] = [],
): APIAttachment[] {
  const byIndex = new Map(files.map((file) => [/\[(\d+)\]/.exec(file.field)?.[1] ?? file.field, file]));
  const out: APIAttachment[] = [];
  const used = new Set<string>();
  for (const entry of declared ?? []) {
    const key = String(entry.id);
    const kept = existing.find((a) => a.id === key);
    if (kept) {
      out.push(kept);
      continue;
    }
    const file = byIndex.get(key);
    if (!file) continue;
    used.add(key);
    out.push(storeAttachment(model, channelId, { ...file, filename: entry.filename ?? file.filename }, entry.description));
  }
  // Files without an `attachments` entry are still attached, as Discord does.
  for (const [key, file] of byIndex) {
    if (!used.has(key) && !(declared ?? []).some((d) => String(d.id) === key)) out.push(storeAttachment(model, channelId, file));
  }
  return out;
}

/** Keeps the bytes for the CDN route and returns the attachment object Discord would. */
export function storeAttachment(
  model: DiscordModel,
  channelId: string,
  file: { filename: string; contentType: string; data: Buffer },
  description?: string,
): APIAttachment {
  const id = model.ids.next();
  model.state.attachments.set(id, { id, channelId, filename: file.filename, contentType: file.contentType, data: file.data });
  const url = model.signedAttachmentUrl(channelId, id, file.filename);
  const attachment: APIAttachment = {
    id,
    filename: file.filename,
    size: file.data.length,
    url,
    proxy_url: url.replace('/cdn/', '/media/'),
    content_type: file.contentType,
  };
  if (description) attachment.description = description;
  return attachment;
}

/** A copy of a message with freshly signed attachment links (Discord re-signs on every read). */
export function readMessage(model: DiscordModel, message: APIMessage): APIMessage {
  const copy: APIMessage = structuredClone(message);
  for (const attachment of copy.attachments) {
    attachment.url = model.signedAttachmentUrl(copy.channel_id, attachment.id, attachment.filename);
    attachment.proxy_url = attachment.url.replace('/cdn/', '/media/');
  }
  return copy;
}

/** The channel's live messages, oldest first (created on first use). */
export function messageList(model: DiscordModel, channelId: string): APIMessage[] {
  let list = model.state.messages.get(channelId);
  if (!list) model.state.messages.set(channelId, (list = []));
  return list;
}

/** Finds a live message in a channel, or among ephemeral interaction messages. */
export function findMessage(model: DiscordModel, channelId: string, messageId: string): APIMessage | undefined {
  return model.state.messages.get(channelId)?.find((m) => m.id === messageId) ?? model.state.ephemeralMessages.get(messageId);
}

export function requireMessage(model: DiscordModel, channelId: string, messageId: string): APIMessage {
  const message = findMessage(model, channelId, messageId);
  if (!message || message.channel_id !== channelId) throw Errors.unknownMessage();
  return message;
}

/**
 * Creates a message from a create-message body (content, embeds, components, allowed_mentions,
 * message_reference, attachments + files, flags). `ephemeral` messages are kept out of the channel
 * history, as Discord shows them to one user only.
 *
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export function createMessage(
  model: DiscordModel,
  channel: Pick<ChannelRecord, 'id' | 'guild_id' | 'type'> & Partial<ChannelRecord>,
  author: APIUser,
  body: Record<string, any>,
  files: UploadedFile[] = [],
  origin: MessageOrigin = {},
): APIMessage {
  validateMessageBody(body);
  if (body.nonce !== undefined && String(body.nonce).length > 25) throw invalidFormBody({ nonce: { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' } });
  if (body.enforce_nonce === true && body.nonce !== undefined) {
    // Discord returns the author's earlier message with this nonce (past few minutes) instead of a new one.
    const since = model.now() - NONCE_WINDOW_MS;
    const earlier = messageList(model, channel.id).findLast((m) => m.author.id === author.id && m.nonce === body.nonce && Date.parse(m.timestamp) >= since);
    if (earlier) return earlier;
  }
  const attachments = [...(origin.attachments ?? []), ...resolveAttachments(model, channel.id, body.attachments, files)];
  const hasContent =
    (typeof body.content === 'string' && body.content.length > 0) ||
    (Array.isArray(body.embeds) && body.embeds.length > 0) ||
    (Array.isArray(body.components) && body.components.length > 0) ||
    attachments.length > 0 ||
    body.poll ||
    (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0) ||
    origin.type === MessageType.ThreadStarterMessage;
  if (!hasContent && !origin.interactionMetadata) throw Errors.emptyMessage();

  const content: string = typeof body.content === 'string' ? body.content : '';
  const id = model.ids.next();
  const message: APIMessage = {
    id,
    channel_id: channel.id,
    author,
    content,
    timestamp: model.iso(),
    edited_timestamp: null,
    tts: Boolean(body.tts),
    ...resolveMentions(model, content, body.allowed_mentions, channel.guild_id),
    attachments,
    embeds: Array.isArray(body.embeds) ? body.embeds.map(normalizeEmbed) : [],
    pinned: false,
    type: origin.type ?? MessageType.Default,
    flags: Number(body.flags ?? 0),
    components: Array.isArray(body.components) ? body.components : [],
  };
  if (body.nonce !== undefined) message.nonce = body.nonce;
  if (origin.webhookId) message.webhook_id = origin.webhookId;
  if (origin.applicationId) message.application_id = origin.applicationId;
  if (origin.interactionMetadata) message.interaction_metadata = origin.interactionMetadata;
  if (origin.interaction) message.interaction = origin.interaction;

  const reference = body.message_reference;
  if (reference?.message_id) {
    const referenced = findMessage(model, String(reference.channel_id ?? channel.id), String(reference.message_id));
    if (!referenced && reference.fail_if_not_exists !== false) {
      throw invalidFormBody({ 'message_reference': { code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' } });
    }
    message.message_reference = {
      type: 0,
      message_id: String(reference.message_id),
      channel_id: String(reference.channel_id ?? channel.id),
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
    };
    if (referenced) {
      message.referenced_message = readMessage(model, referenced);
      if (message.type === MessageType.Default) message.type = MessageType.Reply;
    }
  }

  const ephemeral = (message.flags! & MessageFlags.Ephemeral) !== 0;
  if (ephemeral) {
    model.state.ephemeralMessages.set(id, message);
  } else {
    messageList(model, channel.id).push(message);
    const record = model.state.channels.get(channel.id);
    if (record) {
      record.last_message_id = id;
      if (isThread(record.type)) {
        // Posting in a thread makes the author a member of it, as on Discord.
        model.addThreadMember(record.id, author.id);
        record.message_count = (record.message_count ?? 0) + 1;
        record.total_message_sent = (record.total_message_sent ?? 0) + 1;
        message.position = record.total_message_sent - 1;
      }
    }
  }
  model.changed();
  return message;
}

/** How long `enforce_nonce` remembers a nonce ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

/**
 * Applies an edit body (content, embeds, components, attachments to keep + new files, flags,
 * allowed_mentions) and keeps the previous version in the edit history.
 *
 * @see https://discord.com/developers/docs/resources/message#edit-message
 */
export function editMessage(
  model: DiscordModel,
  message: APIMessage,
  body: Record<string, any>,
  files: UploadedFile[],
  via: string,
  opts: { markEdited?: boolean } = {},
): APIMessage {
  validateMessageBody({ ...body, flags: body.flags ?? message.flags });
  const before = structuredClone(message);
  let history = model.state.messageEdits.get(message.id);
  if (!history) model.state.messageEdits.set(message.id, (history = []));
  history.push({ at: model.now(), before, via });

  if (body.content !== undefined) message.content = body.content ?? '';
  if (body.embeds !== undefined) message.embeds = (body.embeds ?? []).map(normalizeEmbed);
  if (body.components !== undefined) message.components = body.components ?? [];
  if (body.flags !== undefined && body.flags !== null) {
    // Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 may be changed by an edit; the rest are kept.
    const editable = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;
    message.flags = (message.flags! & ~editable) | (Number(body.flags) & editable);
  }
  if (body.attachments !== undefined || files.length > 0) {
    message.attachments = resolveAttachments(model, message.channel_id, body.attachments ?? message.attachments, files, message.attachments);
  }
  if (body.content !== undefined || body.allowed_mentions !== undefined) {
    const guildId = model.state.channels.get(message.channel_id)?.guild_id;
    Object.assign(message, resolveMentions(model, message.content, body.allowed_mentions, guildId));
  }
  if (opts.markEdited ?? true) message.edited_timestamp = model.iso();
  model.changed();
  return message;
}

/** Removes a message, remembering it in `deletedMessages`. */
export function deleteMessage(model: DiscordModel, message: APIMessage, via: string): void {
  const list = model.state.messages.get(message.channel_id);
  const index = list?.findIndex((m) => m.id === message.id) ?? -1;
  if (index >= 0) list!.splice(index, 1);
  model.state.ephemeralMessages.delete(message.id);
  model.state.deletedMessages.push({ channelId: message.channel_id, message, at: model.now(), via });
  const channel = model.state.channels.get(message.channel_id);
  if (channel && isThread(channel.type)) channel.message_count = Math.max(0, (channel.message_count ?? 1) - 1);
  model.changed();
}

/**
 * One page of `GET /channels/{id}/messages`: newest first, `limit` 1–100 (default 50), and at most
 * one of `before`, `after`, `around`. `after` returns the messages right after the id (still newest
 * first); `around` returns up to `limit` messages centred on the id, the id itself included.
 *
 * @see https://discord.com/developers/docs/resources/message#get-channel-messages
 */
export function pageMessages(all: readonly APIMessage[], query: URLSearchParams): APIMessage[] {
  const limitText = query.get('limit');
  const limit = limitText === null ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidFormBody({
      limit: limit > 100
        ? { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }
        : { code: 'NUMBER_TYPE_MIN', message: 'int value should be greater than or equal to 1.' },
    });
  }
  const oldestFirst = [...all].sort((a, b) => compareSnowflakes(a.id, b.id));
  const before = query.get('before');
  const after = query.get('after');
  const around = query.get('around');
  let page: APIMessage[];
  if (around) {
    const older = oldestFirst.filter((m) => compareSnowflakes(m.id, around) <= 0).slice(-Math.ceil(limit / 2));
    const newer = oldestFirst.filter((m) => compareSnowflakes(m.id, around) > 0).slice(0, Math.floor(limit / 2));
    page = [...older, ...newer];
  } else if (after) {
    page = oldestFirst.filter((m) => compareSnowflakes(m.id, after) > 0).slice(0, limit);
  } else if (before) {
    page = oldestFirst.filter((m) => compareSnowflakes(m.id, before) < 0).slice(-limit);
  } else {
    page = oldestFirst.slice(-limit);
  }
  return page.reverse();
}

/** Embeds come back with `type: 'rich'` and their fields as sent. */
function normalizeEmbed(embed: Record<string, unknown>): any {
  return { type: 'rich', ...embed };
}

/** True for channels that hold messages. */
export function isTextBased(type: ChannelType): boolean {
  return (
    type === ChannelType.GuildText ||
    type === ChannelType.GuildAnnouncement ||
    type === ChannelType.DM ||
    type === ChannelType.GroupDM ||
    type === ChannelType.GuildVoice ||
    type === ChannelType.GuildStageVoice ||
    isThread(type)
  );
}
