import { randomBytes } from 'node:crypto';
import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  ApplicationCommandType,
  type APIInteractionResponse,
  type APIMessage,
  type APIUser,
} from 'discord-api-types/v10';
import { Errors } from './errors';
import type { UploadedFile } from './http';
import { createMessage, editMessage, findMessage, type MessageOrigin } from './messages';
import type { DiscordModel } from './model';
import type { InteractionRecord } from './state';

/** Which initial response types Discord accepts for each interaction type. */
const ALLOWED_RESPONSES: Record<number, InteractionResponseType[]> = {
  [InteractionType.Ping]: [InteractionResponseType.Pong],
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
    InteractionResponseType.LaunchActivity,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

/** A random interaction token like Discord's (`aW50ZXJhY3Rpb246…`: opaque, URL-safe, long). */
export function newInteractionToken(): string {
  return `aW50ZXJhY3Rpb24${randomBytes(96).toString('base64url')}`;
}

/**
 * Records an interaction Discord is about to deliver, so its token addresses webhooks for
 * {@link ModelConfig.interactionTokenTtlMs}. Idempotent on the interaction id.
 */
export function registerInteraction(model: DiscordModel, payload: Record<string, any>): InteractionRecord {
  const existing = model.state.interactions.get(payload.id);
  if (existing) return existing;
  const record: InteractionRecord = {
    id: String(payload.id),
    token: String(payload.token),
    applicationId: String(payload.application_id ?? model.config.applicationId),
    payload,
    createdAt: model.now(),
    originalEdits: [],
    followUpIds: [],
  };
  model.state.interactions.set(record.id, record);
  model.changed();
  return record;
}

/**
 * The interaction an (application id, token) pair addresses. Unknown tokens, tokens of another
 * application and tokens older than 15 minutes answer 10015 Unknown Webhook.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages
 */
export function interactionByToken(model: DiscordModel, applicationId: string, token: string): InteractionRecord {
  for (const record of model.state.interactions.values()) {
    if (record.token !== token) continue;
    if (record.applicationId !== applicationId) break;
    if (model.now() - record.createdAt > model.config.interactionTokenTtlMs) break;
    return record;
  }
  throw Errors.unknownWebhook();
}

/** The user who triggered an interaction (guild: `member.user`, DM: `user`). */
export function interactionUser(record: InteractionRecord): APIUser {
  return (record.payload.member?.user ?? record.payload.user) as APIUser;
}

/** The fields Discord stamps on messages an interaction creates. */
export function interactionOrigin(model: DiscordModel, record: InteractionRecord): MessageOrigin {
  const payload = record.payload;
  const user = interactionUser(record);
  const commandType = payload.data?.type as ApplicationCommandType | undefined;
  let type = MessageType.Default;
  if (payload.type === InteractionType.ApplicationCommand) {
    type = commandType === ApplicationCommandType.ChatInput ? MessageType.ChatInputCommand : MessageType.ContextMenuCommand;
  }
  const metadata: Record<string, unknown> = {
    id: record.id,
    type: payload.type,
    user,
    authorizing_integration_owners: payload.authorizing_integration_owners ?? {},
  };
  if (payload.type === InteractionType.MessageComponent && payload.message?.id) metadata.interacted_message_id = payload.message.id;
  if (payload.type === InteractionType.ApplicationCommand && payload.data?.target_id) {
    if (commandType === ApplicationCommandType.Message) metadata.target_message_id = payload.data.target_id;
    else if (commandType === ApplicationCommandType.User) metadata.target_user = payload.data.resolved?.users?.[payload.data.target_id];
  }
  return {
    type,
    webhookId: record.applicationId,
    applicationId: record.applicationId,
    interactionMetadata: metadata as unknown as APIMessage['interaction_metadata'],
    interaction: payload.data?.name ? { id: record.id, type: payload.type, name: payload.data.name, user } : undefined,
  };
}

/** The channel an interaction happened in, as far as messages go. */
function interactionChannel(model: DiscordModel, record: InteractionRecord) {
  const channelId = String(record.payload.channel_id ?? record.payload.channel?.id);
  return (
    model.state.channels.get(channelId) ?? {
      id: channelId,
      type: record.payload.channel?.type ?? 0,
      guild_id: record.payload.guild_id,
    }
  );
}

/** Creates a message on behalf of an interaction (initial response or follow-up). */
export function createInteractionMessage(
  model: DiscordModel,
  record: InteractionRecord,
  data: Record<string, any>,
  files: UploadedFile[] = [],
): APIMessage {
  return createMessage(model, interactionChannel(model, record), model.botUser, data, files, interactionOrigin(model, record));
}

/**
 * Applies an initial response the way Discord does: 4 posts a message, 5 posts a "thinking…"
 * message (LOADING flag) that `@original` edits later, 6 and 7 point `@original` at the component's
 * message (7 also edits it), 9 opens a modal (no `@original`), 8 returns autocomplete choices.
 * A response type the interaction does not allow is recorded as a failure, not an acknowledgement.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type
 */
export function recordInitialResponse(
  model: DiscordModel,
  record: InteractionRecord,
  response: APIInteractionResponse,
  via: 'http' | 'callback',
  files: UploadedFile[] = [],
): void {
  const allowed = ALLOWED_RESPONSES[record.payload.type] ?? [];
  if (!response || typeof response !== 'object' || !allowed.includes(response.type)) {
    record.failure = `response type ${String((response as { type?: unknown })?.type)} is not valid for interaction type ${record.payload.type}`;
    model.changed();
    return;
  }
  record.initialResponse = response;
  record.respondedVia = via;
  const data = ('data' in response ? response.data : undefined) as Record<string, any> | undefined;

  switch (response.type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const message = createInteractionMessage(model, record, data ?? {}, files);
      record.originalMessageId = message.id;
      record.originalChannelId = message.channel_id;
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const flags = (Number(data?.flags ?? 0) & MessageFlags.Ephemeral) | MessageFlags.Loading;
      const message = createInteractionMessage(model, record, { content: '', flags });
      record.originalMessageId = message.id;
      record.originalChannelId = message.channel_id;
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate:
    case InteractionResponseType.UpdateMessage: {
      const source = record.payload.message as APIMessage | undefined;
      if (source) {
        record.originalMessageId = source.id;
        record.originalChannelId = source.channel_id;
        const stored = findMessage(model, source.channel_id, source.id);
        if (response.type === InteractionResponseType.UpdateMessage && stored && data) {
          editMessage(model, stored, data, files, 'interaction callback (UPDATE_MESSAGE)');
        }
      }
      break;
    }
    default:
      break;
  }
  model.changed();
}

/** The message `@original` refers to, or 10008 Unknown Message (modal / autocomplete / not found). */
export function originalMessage(model: DiscordModel, record: InteractionRecord): APIMessage {
  if (!record.initialResponse) throw Errors.unknownWebhook();
  const message = record.originalMessageId ? findMessage(model, record.originalChannelId!, record.originalMessageId) : undefined;
  if (!message) throw Errors.unknownMessage();
  return message;
}
