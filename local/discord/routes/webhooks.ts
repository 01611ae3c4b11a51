import { MessageFlags, type APIInteractionResponse, type APIMessage } from 'discord-api-types/v10';
import { DiscordApiError, Errors } from '../errors';
import { json, noContent } from '../http';
import {
  createInteractionMessage,
  interactionByToken,
  originalMessage,
  recordInitialResponse,
} from '../interactions';
import { deleteMessage, editMessage, findMessage, readMessage } from '../messages';
import type { RouteContext, RouteDefinition } from '../router';
import type { InteractionRecord } from '../state';

/** Resolves the interaction a webhook route's token addresses, after any delivery in flight. */
async function interactionFor(ctx: RouteContext): Promise<InteractionRecord> {
  const record = interactionByToken(ctx.model, ctx.params.application, ctx.params.token);
  await ctx.model.settleDelivery(record.id);
  return record;
}

/** `@original` or one of the interaction's follow-ups; anything else is 10008 for this token. */
function messageFor(ctx: RouteContext, record: InteractionRecord): APIMessage {
  const id = ctx.params.message;
  if (id === '@original') return originalMessage(ctx.model, record);
  if (id !== record.originalMessageId && !record.followUpIds.includes(id)) throw Errors.unknownMessage();
  const message = findMessage(ctx.model, record.originalChannelId ?? String(record.payload.channel_id), id);
  if (!message) throw Errors.unknownMessage();
  return message;
}

/**
 * Interaction callback and the interaction webhook routes (`@original`, follow-ups). These are
 * addressed by the interaction token and take no Authorization header.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#endpoints
 */
export function webhookRoutes(): RouteDefinition[] {
  const messagePath = '/webhooks/{application}/{token}/messages';
  const get = async (ctx: RouteContext) => {
    const record = await interactionFor(ctx);
    return json(readMessage(ctx.model, messageFor(ctx, record)));
  };
  const edit = async (ctx: RouteContext) => {
    const record = await interactionFor(ctx);
    const message = messageFor(ctx, record);
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    const wasLoading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
    if (wasLoading) message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
    // The first edit of a deferred ("thinking…") response is its real content, not an edit.
    editMessage(ctx.model, message, body, ctx.files, `PATCH ${ctx.route}`, { markEdited: !wasLoading });
    if (message.id === record.originalMessageId) record.originalEdits.push({ at: ctx.model.now(), body });
    ctx.model.changed();
    return json(readMessage(ctx.model, message));
  };
  const remove = async (ctx: RouteContext) => {
    const record = await interactionFor(ctx);
    deleteMessage(ctx.model, messageFor(ctx, record), `DELETE ${ctx.route}`);
    return noContent();
  };
  const followUp = async (ctx: RouteContext) => {
    const record = await interactionFor(ctx);
    // The first follow-up to a deferred response still loading becomes that response, visibility
    // included: a public deferral cannot be answered privately this way (delete @original first).
    const pending = record.originalMessageId ? findMessage(ctx.model, record.originalChannelId!, record.originalMessageId) : undefined;
    if (pending && ((pending.flags ?? 0) & MessageFlags.Loading) !== 0) {
      const body = { ...((ctx.body ?? {}) as Record<string, unknown>) };
      delete body.flags;
      pending.flags = (pending.flags ?? 0) & ~MessageFlags.Loading;
      editMessage(ctx.model, pending, body, ctx.files, `POST ${ctx.route}`, { markEdited: false });
      record.originalEdits.push({ at: ctx.model.now(), body });
      ctx.model.changed();
      return json(readMessage(ctx.model, pending));
    }
    const message = createInteractionMessage(ctx.model, record, ctx.body ?? {}, ctx.files);
    record.followUpIds.push(message.id);
    ctx.model.changed();
    // Interaction webhooks always return the message, whatever `wait` says.
    return json(readMessage(ctx.model, message));
  };
  const callback = async (ctx: RouteContext) => {
    const { model } = ctx;
    const record = model.state.interactions.get(ctx.params.interaction);
    if (!record || record.token !== ctx.params.token) throw Errors.unknownInteraction();
    await model.settleDelivery(record.id);
    if (record.initialResponse) throw Errors.alreadyAcknowledged();
    // Discord forgets an unanswered interaction after its 3-second window.
    if (model.now() - record.createdAt > model.config.interactionDeadlineMs) throw Errors.unknownInteraction();
    recordInitialResponse(model, record, ctx.body as APIInteractionResponse, 'callback', ctx.files);
    // Re-read through a widened type: the call above sets it, which TypeScript's narrowing cannot see.
    const accepted = record.initialResponse as APIInteractionResponse | undefined;
    if (!accepted) {
      // A rejected callback leaves the interaction open for another try, as on Discord.
      const reason = record.failure ?? 'Invalid interaction response type';
      record.failure = undefined;
      throw new DiscordApiError(400, 50035, 'Invalid Form Body', { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: reason }] } });
    }
    if (ctx.query.get('with_response') !== 'true') return noContent();
    const message = record.originalMessageId ? findMessage(model, record.originalChannelId!, record.originalMessageId) : undefined;
    return json({
      interaction: {
        id: record.id,
        type: record.payload.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
              response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
            }
          : {}),
      },
      resource: { type: accepted.type, ...(message ? { message: readMessage(model, message) } : {}) },
    });
  };
  return [
    { method: 'POST', path: '/interactions/{interaction}/{token}/callback', auth: 'none', handler: callback },
    { method: 'GET', path: `${messagePath}/{message}`, auth: 'none', handler: get },
    { method: 'PATCH', path: `${messagePath}/{message}`, auth: 'none', handler: edit },
    { method: 'DELETE', path: `${messagePath}/{message}`, auth: 'none', handler: remove },
    { method: 'POST', path: '/webhooks/{application}/{token}', auth: 'none', handler: followUp },
  ];
}
