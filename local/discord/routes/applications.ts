import { ApplicationCommandType, type APIApplicationCommand } from 'discord-api-types/v10';
import { Errors, invalidFormBody, type FieldError } from '../errors';
import { json, noContent } from '../http';
import type { DiscordModel } from '../model';
import type { RouteContext, RouteDefinition } from '../router';

/** Command names: 1–32 characters, lowercase letters/digits/`-`/`_` in any script. */
const CHAT_INPUT_NAME = /^[-_'\p{Ll}\p{Lm}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function commandStore(ctx: RouteContext): Map<string, APIApplicationCommand> {
  const { model, params } = ctx;
  if (params.application !== model.config.applicationId) throw Errors.missingAccess();
  if (!params.guild) return model.state.commands.global;
  model.requireGuildAccess(params.guild, ctx.auth.userId!);
  let store = model.state.commands.guild.get(params.guild);
  if (!store) model.state.commands.guild.set(params.guild, (store = new Map()));
  return store;
}

/**
 * Validates a command body like Discord (name pattern and length, description length, option
 * count) and builds the stored command, keeping the id of an existing command with the same name
 * and type (bulk overwrite and POST are upserts).
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#create-global-application-command
 */
function buildCommand(model: DiscordModel, body: any, store: Map<string, APIApplicationCommand>, guildId: string | undefined, prefix = ''): APIApplicationCommand {
  const errors: Record<string, FieldError> = {};
  const type: ApplicationCommandType = Number(body?.type ?? ApplicationCommandType.ChatInput);
  const name = typeof body?.name === 'string' ? body.name : '';
  if (!name) errors[`${prefix}name`] = { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
  else if (type === ApplicationCommandType.ChatInput && !CHAT_INPUT_NAME.test(name)) {
    errors[`${prefix}name`] = { code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' };
  } else if (name.length > 32) errors[`${prefix}name`] = { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 32 in length.' };
  const description = typeof body?.description === 'string' ? body.description : '';
  if (type === ApplicationCommandType.ChatInput && (description.length < 1 || description.length > 100)) {
    errors[`${prefix}description`] = { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' };
  }
  if (Array.isArray(body?.options) && body.options.length > 25) {
    errors[`${prefix}options`] = { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' };
  }
  if (Object.keys(errors).length) throw invalidFormBody(errors);

  const existing = [...store.values()].find((c) => c.name === name && c.type === type);
  const command: APIApplicationCommand = {
    id: existing?.id ?? model.ids.next(),
    application_id: model.config.applicationId,
    version: model.ids.next(),
    default_member_permissions: body.default_member_permissions ?? null,
    type,
    name,
    name_localizations: body.name_localizations ?? null,
    description: type === ApplicationCommandType.ChatInput ? description : '',
    description_localizations: body.description_localizations ?? null,
    dm_permission: guildId ? undefined : (body.dm_permission ?? true),
    contexts: body.contexts ?? null,
    integration_types: body.integration_types ?? [0],
    nsfw: Boolean(body.nsfw),
  };
  if (Array.isArray(body.options)) command.options = body.options;
  if (guildId) command.guild_id = guildId;
  if (command.dm_permission === undefined) delete command.dm_permission;
  return command;
}

/**
 * Application command routes, global and per guild.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#endpoints
 */
export function applicationRoutes(): RouteDefinition[] {
  const list = (ctx: RouteContext) => json([...commandStore(ctx).values()]);
  const overwrite = (ctx: RouteContext) => {
    const store = commandStore(ctx);
    if (!Array.isArray(ctx.body)) throw invalidFormBody({ _misc: { code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' } });
    // Validate everything first: a bulk overwrite either replaces the whole set or changes nothing.
    const commands = ctx.body.map((body: unknown, i: number) => buildCommand(ctx.model, body, store, ctx.params.guild, `${i}.`));
    store.clear();
    for (const command of commands) store.set(command.id, command);
    ctx.model.changed();
    return json(commands);
  };
  const create = (ctx: RouteContext) => {
    const store = commandStore(ctx);
    const command = buildCommand(ctx.model, ctx.body, store, ctx.params.guild);
    const isNew = !store.has(command.id);
    store.set(command.id, command);
    ctx.model.changed();
    return json(command, isNew ? 201 : 200);
  };
  const get = (ctx: RouteContext) => {
    const command = commandStore(ctx).get(ctx.params.command);
    if (!command) throw Errors.unknownCommand();
    return json(command);
  };
  const edit = (ctx: RouteContext) => {
    const store = commandStore(ctx);
    const current = store.get(ctx.params.command);
    if (!current) throw Errors.unknownCommand();
    const others = new Map([...store].filter(([id]) => id !== current.id));
    const updated = { ...buildCommand(ctx.model, { ...current, ...ctx.body }, others, ctx.params.guild), id: current.id };
    store.set(current.id, updated);
    ctx.model.changed();
    return json(updated);
  };
  const remove = (ctx: RouteContext) => {
    const store = commandStore(ctx);
    if (!store.delete(ctx.params.command)) throw Errors.unknownCommand();
    ctx.model.changed();
    return noContent();
  };
  const routes: RouteDefinition[] = [];
  for (const base of ['/applications/{application}/commands', '/applications/{application}/guilds/{guild}/commands']) {
    routes.push(
      { method: 'GET', path: base, auth: 'bot', handler: list },
      { method: 'PUT', path: base, auth: 'bot', handler: overwrite },
      { method: 'POST', path: base, auth: 'bot', handler: create },
      { method: 'GET', path: `${base}/{command}`, auth: 'bot', handler: get },
      { method: 'PATCH', path: `${base}/{command}`, auth: 'bot', handler: edit },
      { method: 'DELETE', path: `${base}/{command}`, auth: 'bot', handler: remove },
    );
  }
  routes.push({
    method: 'GET',
    path: '/applications/@me',
    auth: 'bot',
    handler: ({ model }) =>
      json({
        id: model.config.applicationId,
        name: model.botUser.username,
        icon: null,
        description: '',
        bot_public: false,
        bot_require_code_grant: false,
        verify_key: model.config.publicKeyHex,
        flags: 0,
        bot: model.botUser,
        interactions_endpoint_url: null,
        approximate_guild_count: model.state.guilds.size,
      }),
  });
  return routes;
}
