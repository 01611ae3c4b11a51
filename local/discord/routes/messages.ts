import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { Errors, invalidFormBody } from '../errors';
import { json, noContent } from '../http';
import {
  createMessage,
  deleteMessage,
  editMessage,
  isTextBased,
  messageList,
  pageMessages,
  readMessage,
  requireMessage,
} from '../messages';
import { isThread, type DiscordModel } from '../model';
import { hasPermissions } from '../permissions';
import { snowflakeTimestamp } from '../snowflake';
import type { RouteContext, RouteDefinition } from '../router';
import type { ChannelRecord } from '../state';

/** Bulk delete only takes messages younger than two weeks. */
const BULK_DELETE_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;

function requireTextChannel(model: DiscordModel, id: string, userId: string): ChannelRecord {
  const channel = model.requireVisibleChannel(id, userId);
  if (!isTextBased(channel.type)) throw Errors.wrongChannelType();
  return channel;
}

/**
 * Who may post where: VIEW_CHANNEL + SEND_MESSAGES (threads: SEND_MESSAGES_IN_THREADS), ATTACH_FILES
 * for uploads; a locked archived thread needs MANAGE_THREADS, an unlocked one is unarchived by the
 * message; a DM to a user who closed DMs (or to a bot) fails with 50007.
 *
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
function assertCanSend(ctx: RouteContext, channel: ChannelRecord): void {
  const { model } = ctx;
  const botId = ctx.auth.userId!;
  if (channel.type === ChannelType.DM) {
    const recipient = channel.recipients?.[0];
    const record = recipient ? model.state.users.get(recipient.id) : undefined;
    if (!record || record.dmsClosed || record.user.bot) throw Errors.cannotDM();
    return;
  }
  const thread = isThread(channel.type);
  const permissions = model.assertChannelPermissions(
    channel,
    botId,
    thread ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages,
  );
  if (ctx.files.length > 0 && !hasPermissions(permissions, PermissionFlagsBits.AttachFiles)) throw Errors.missingPermissions();
  const metadata = channel.thread_metadata;
  if (thread && metadata?.archived) {
    if (metadata.locked && !hasPermissions(permissions, PermissionFlagsBits.ManageThreads)) throw Errors.threadArchived();
    metadata.archived = false;
    metadata.archive_timestamp = model.iso();
  }
}

/**
 * Message routes.
 *
 * @see https://discord.com/developers/docs/resources/message
 */
export function messageRoutes(): RouteDefinition[] {
  return [
    {
      method: 'POST',
      path: '/channels/{channel}/messages',
      auth: 'bot',
      handler: (ctx) => {
        const channel = requireTextChannel(ctx.model, ctx.params.channel, ctx.auth.userId!);
        assertCanSend(ctx, channel);
        const message = createMessage(ctx.model, channel, ctx.model.requireUser(ctx.auth.userId!), ctx.body ?? {}, ctx.files);
        return json(readMessage(ctx.model, message));
      },
    },
    {
      method: 'GET',
      path: '/channels/{channel}/messages',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const channel = requireTextChannel(model, ctx.params.channel, ctx.auth.userId!);
        const all = messageList(model, channel.id);
        const page = pageMessages(all, ctx.query);
        // Without READ_MESSAGE_HISTORY Discord answers an empty list rather than an error.
        if (!hasPermissions(model.channelPermissions(channel, ctx.auth.userId!), PermissionFlagsBits.ReadMessageHistory)) return json([]);
        return json(page.map((m) => readMessage(model, m)));
      },
    },
    {
      method: 'GET',
      path: '/channels/{channel}/messages/{message}',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const channel = requireTextChannel(model, ctx.params.channel, ctx.auth.userId!);
        if (!hasPermissions(model.channelPermissions(channel, ctx.auth.userId!), PermissionFlagsBits.ReadMessageHistory)) {
          throw Errors.missingAccess();
        }
        return json(readMessage(model, requireMessage(model, channel.id, ctx.params.message)));
      },
    },
    {
      method: 'PATCH',
      path: '/channels/{channel}/messages/{message}',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const channel = requireTextChannel(model, ctx.params.channel, ctx.auth.userId!);
        const message = requireMessage(model, channel.id, ctx.params.message);
        if (message.author.id !== ctx.auth.userId) throw Errors.cannotEditOthersMessage();
        editMessage(model, message, ctx.body ?? {}, ctx.files, `PATCH ${ctx.route}`);
        return json(readMessage(model, message));
      },
    },
    {
      method: 'DELETE',
      path: '/channels/{channel}/messages/{message}',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const botId = ctx.auth.userId!;
        const channel = requireTextChannel(model, ctx.params.channel, botId);
        const message = requireMessage(model, channel.id, ctx.params.message);
        if (message.author.id !== botId) model.assertChannelPermissions(channel, botId, PermissionFlagsBits.ManageMessages);
        deleteMessage(model, message, `DELETE ${ctx.route}`);
        return noContent();
      },
    },
    {
      method: 'POST',
      path: '/channels/{channel}/messages/bulk-delete',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const botId = ctx.auth.userId!;
        const channel = requireTextChannel(model, ctx.params.channel, botId);
        if (!channel.guild_id) throw Errors.wrongChannelType();
        model.assertChannelPermissions(channel, botId, PermissionFlagsBits.ManageMessages);
        const ids: unknown = ctx.body?.messages;
        if (!Array.isArray(ids) || ids.length < 2 || ids.length > 100) {
          throw invalidFormBody({ messages: { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 2 and 100 in length.' } });
        }
        if (ids.some((id) => model.now() - snowflakeTimestamp(String(id)) > BULK_DELETE_MAX_AGE_MS)) throw Errors.bulkDeleteTooOld();
        for (const id of new Set(ids.map(String))) {
          const message = messageList(model, channel.id).find((m) => m.id === id);
          if (message) deleteMessage(model, message, `POST ${ctx.route}`);
        }
        return noContent();
      },
    },
  ];
}
