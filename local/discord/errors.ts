import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/**
 * One field error inside a 50035 "Invalid Form Body" response.
 *
 * @see https://discord.com/developers/docs/reference#error-messages
 */
export interface FieldError {
  code: string;
  message: string;
}

/** The JSON body Discord sends with every 4xx/5xx: `{ message, code, errors? }`. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: Record<string, unknown>;
}

/**
 * An error a route handler throws to answer with Discord's status code and JSON error body.
 *
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
 */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DiscordApiError';
  }

  toBody(): DiscordErrorBody {
    return this.errors ? { message: this.message, code: this.code, errors: this.errors } : { message: this.message, code: this.code };
  }
}

/** `{ field: { _errors: [{ code, message }] } }` — Discord nests field errors by path. */
export function fieldErrors(fields: Record<string, FieldError>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, error] of Object.entries(fields)) {
    // Discord nests dotted paths (`data.components.0.type`) as objects keyed by each segment.
    const segments = path.split('.');
    let node = out;
    for (const segment of segments.slice(0, -1)) {
      node = (node[segment] ??= {}) as Record<string, unknown>;
    }
    const leaf = ((node[segments[segments.length - 1]] ??= {}) as { _errors?: FieldError[] });
    (leaf._errors ??= []).push(error);
  }
  return out;
}

/** 400 code 50035 with per-field errors, as Discord answers a body it rejects. */
export function invalidFormBody(fields: Record<string, FieldError>): DiscordApiError {
  return new DiscordApiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', fieldErrors(fields));
}

/** Shorthands for the errors the emulator raises, named after Discord's messages. */
export const Errors = {
  unauthorized: () => new DiscordApiError(401, RESTJSONErrorCodes.GeneralError, '401: Unauthorized'),
  notFound: () => new DiscordApiError(404, RESTJSONErrorCodes.GeneralError, '404: Not Found'),
  methodNotAllowed: () => new DiscordApiError(405, RESTJSONErrorCodes.GeneralError, '405: Method Not Allowed'),
  unknownChannel: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel'),
  unknownGuild: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild'),
  unknownInvite: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownInvite, 'Unknown Invite'),
  unknownMember: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member'),
  unknownMessage: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message'),
  unknownOverwrite: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownPermissionOverwrite, 'Unknown Overwrite'),
  unknownRole: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownRole, 'Unknown Role'),
  unknownUser: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User'),
  unknownWebhook: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook'),
  unknownInteraction: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction'),
  unknownCommand: () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command'),
  missingAccess: () => new DiscordApiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access'),
  missingPermissions: () => new DiscordApiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions'),
  cannotDM: () => new DiscordApiError(403, RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'Cannot send messages to this user'),
  cannotEditOthersMessage: () =>
    new DiscordApiError(403, RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser, 'Cannot edit a message authored by another user'),
  maxGuildChannels: () =>
    new DiscordApiError(400, RESTJSONErrorCodes.MaximumNumberOfGuildChannelsReached, 'Maximum number of guild channels reached (500)'),
  alreadyAcknowledged: () =>
    new DiscordApiError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.'),
  threadArchived: () => new DiscordApiError(400, RESTJSONErrorCodes.InvalidActionOnArchivedThread, 'Thread is archived'),
  wrongChannelType: () =>
    new DiscordApiError(400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type'),
  bulkDeleteTooOld: () =>
    new DiscordApiError(400, RESTJSONErrorCodes.OneOfTheMessagesProvidedWasTooOldForBulkDelete, 'You can only bulk delete messages that are under 14 days old.'),
  emptyMessage: () => new DiscordApiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message'),
};
