/**
 * Builders for interaction payloads with the shapes Discord really sends (every top-level key of a
 * captured payload, nulls included), so handlers are tested against what production sees.
 * `test/fixtures/discord/*.json` holds the reference shapes; a test keeps the builders in step.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  type APIApplicationCommandAutocompleteInteraction,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIInteractionDataResolved,
  type APIMessage,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  type APIPingInteraction,
  type APIRole,
  type APIUser,
  type APIUserApplicationCommandInteraction,
} from 'discord-api-types/v10';
import { newInteractionToken } from './interactions';
import { SnowflakeGenerator } from './snowflake';

const ids = new SnowflakeGenerator(Date.now, 2n);

/** Discord's upload limit for a guild without boosts (sent as `attachment_size_limit`). */
export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10485760;

/** A user as interaction payloads carry it (all the keys Discord sends today). */
export function payloadUser(user: Partial<APIUser> & { id?: string } = {}): APIUser {
  const id = user.id ?? ids.next();
  const username = user.username ?? `user${id.slice(-6)}`;
  return {
    avatar: user.avatar ?? null,
    avatar_decoration_data: user.avatar_decoration_data ?? null,
    clan: null,
    collectibles: user.collectibles ?? null,
    discriminator: user.discriminator ?? '0',
    display_name_styles: null,
    global_name: user.global_name === undefined ? username : user.global_name,
    id,
    primary_guild: user.primary_guild ?? null,
    public_flags: user.public_flags ?? 0,
    username,
    ...(user.bot ? { bot: true } : {}),
  } as APIUser;
}

/** The channel, guild and invoker an interaction happens in. Omitted fields get fresh ids. */
export interface InteractionEnvelope {
  id?: string;
  token?: string;
  applicationId?: string;
  /** The guild, or `null` for a DM with the bot. */
  guild?: { id: string; locale?: string; features?: string[] } | null;
  /** The channel (a partial channel object as Discord sends it). */
  channel?: { id: string; type?: ChannelType; name?: string | null; parent_id?: string | null; [key: string]: unknown };
  /** The invoking user. */
  user?: Partial<APIUser>;
  /** Guild member data of the invoker (guild interactions only). */
  member?: { roles?: string[]; permissions?: string | bigint; nick?: string | null; joined_at?: string; communication_disabled_until?: string | null };
  /** The bot's permissions in the channel (`app_permissions`). */
  appPermissions?: string | bigint;
  /** The invoker's client locale. */
  locale?: string;
  attachmentSizeLimit?: number;
}

/** Permissions a plain member has in a fresh server's text channel (used when none are given). */
const DEFAULT_MEMBER_PERMISSIONS = '2248473465835073';
/** The bot's default channel permissions in payloads when none are given. */
const DEFAULT_APP_PERMISSIONS = '562949953601536';

function base(type: InteractionType, env: InteractionEnvelope): Record<string, any> {
  const applicationId = env.applicationId ?? ids.next();
  const user = payloadUser(env.user);
  const inGuild = env.guild !== null;
  const guild = inGuild ? { features: env.guild?.features ?? [], id: env.guild?.id ?? ids.next(), locale: env.guild?.locale ?? Locale.EnglishUS } : undefined;
  const memberPermissions = String(env.member?.permissions ?? DEFAULT_MEMBER_PERMISSIONS);
  const channelId = env.channel?.id ?? ids.next();
  const channel = inGuild
    ? {
        flags: 0,
        guild_id: guild!.id,
        id: channelId,
        last_message_id: null,
        name: 'general',
        nsfw: false,
        parent_id: null,
        permissions: memberPermissions,
        position: 0,
        rate_limit_per_user: 0,
        topic: null,
        type: ChannelType.GuildText,
        ...env.channel,
      }
    : { flags: 0, id: channelId, last_message_id: null, recipient_flags: 0, recipients: [user], type: ChannelType.DM, ...env.channel };

  const payload: Record<string, any> = {
    app_permissions: String(env.appPermissions ?? DEFAULT_APP_PERMISSIONS),
    application_id: applicationId,
    attachment_size_limit: env.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT,
    // Guild-installed app: the owner is the guild, or "0" for a DM with the bot.
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild ? guild.id : '0' },
    channel,
    channel_id: channelId,
    context: guild ? InteractionContextType.Guild : InteractionContextType.BotDM,
    entitlement_sku_ids: [],
    entitlements: [],
    id: env.id ?? ids.next(),
    locale: env.locale ?? Locale.EnglishUS,
    token: env.token ?? newInteractionToken(),
    type,
    version: 1,
  };
  if (guild) {
    payload.guild = guild;
    payload.guild_id = guild.id;
    payload.guild_locale = guild.locale;
    payload.member = {
      avatar: null,
      banner: null,
      collectibles: null,
      communication_disabled_until: env.member?.communication_disabled_until ?? null,
      deaf: false,
      flags: 0,
      joined_at: env.member?.joined_at ?? '2024-01-01T00:00:00.000000+00:00',
      mute: false,
      nick: env.member?.nick ?? null,
      pending: false,
      permissions: memberPermissions,
      premium_since: null,
      roles: env.member?.roles ?? [],
      unusual_dm_activity_until: null,
      user,
    };
  } else {
    delete payload.entitlement_sku_ids;
    payload.user = user;
  }
  return payload;
}

// ------------------------------------------------------------------ options

const RESOLVED = Symbol('resolved');

/** A command option as sent, optionally carrying the resolved objects it refers to. */
export type OptionInput = Record<string, any> & { [RESOLVED]?: APIInteractionDataResolved };

function mergeResolved(target: APIInteractionDataResolved, source: APIInteractionDataResolved): void {
  for (const key of ['users', 'members', 'roles', 'channels', 'attachments'] as const) {
    if (source[key]) target[key] = { ...(target[key] as object), ...(source[key] as object) } as never;
  }
}

/** Strips the helper's resolved data off options and gathers it into one `resolved` object. */
function collectOptions(options: OptionInput[], resolved: APIInteractionDataResolved): any[] {
  return options.map((o) => {
    if (o[RESOLVED]) mergeResolved(resolved, o[RESOLVED]);
    const { [RESOLVED]: _ignored, ...plain } = o;
    void _ignored;
    if (Array.isArray(plain.options)) plain.options = collectOptions(plain.options, resolved);
    return plain;
  });
}

/**
 * Option builders for {@link commandInteraction} / {@link autocompleteInteraction}. User, channel,
 * role and attachment options also fill `data.resolved`, as Discord does.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-application-command-interaction-data-option-structure
 */
export const option = {
  subcommand: (name: string, options: OptionInput[] = []): OptionInput => ({
    name,
    type: ApplicationCommandOptionType.Subcommand,
    ...(options.length ? { options } : {}),
  }),
  group: (name: string, subcommands: OptionInput[]): OptionInput => ({ name, type: ApplicationCommandOptionType.SubcommandGroup, options: subcommands }),
  string: (name: string, value: string, focused?: boolean): OptionInput => ({ name, type: ApplicationCommandOptionType.String, value, ...(focused ? { focused } : {}) }),
  integer: (name: string, value: number, focused?: boolean): OptionInput => ({ name, type: ApplicationCommandOptionType.Integer, value, ...(focused ? { focused } : {}) }),
  number: (name: string, value: number, focused?: boolean): OptionInput => ({ name, type: ApplicationCommandOptionType.Number, value, ...(focused ? { focused } : {}) }),
  boolean: (name: string, value: boolean): OptionInput => ({ name, type: ApplicationCommandOptionType.Boolean, value }),
  user: (name: string, user: Partial<APIUser> & { id: string }, member?: { roles?: string[]; nick?: string | null; permissions?: string }): OptionInput => {
    const full = payloadUser(user);
    const resolved: APIInteractionDataResolved = { users: { [full.id]: full } };
    if (member) {
      resolved.members = {
        [full.id]: {
          avatar: null,
          banner: null,
          communication_disabled_until: null,
          flags: 0,
          joined_at: '2024-01-01T00:00:00.000000+00:00',
          nick: member.nick ?? null,
          pending: false,
          permissions: member.permissions ?? DEFAULT_MEMBER_PERMISSIONS,
          premium_since: null,
          roles: member.roles ?? [],
        } as never,
      };
    }
    return { name, type: ApplicationCommandOptionType.User, value: full.id, [RESOLVED]: resolved };
  },
  channel: (name: string, channel: { id: string; type?: ChannelType; name?: string; parent_id?: string | null; permissions?: string }): OptionInput => ({
    name,
    type: ApplicationCommandOptionType.Channel,
    value: channel.id,
    [RESOLVED]: {
      channels: {
        [channel.id]: {
          flags: 0,
          guild_id: undefined,
          id: channel.id,
          last_message_id: null,
          name: channel.name ?? 'channel',
          nsfw: false,
          parent_id: channel.parent_id ?? null,
          permissions: channel.permissions ?? DEFAULT_MEMBER_PERMISSIONS,
          position: 0,
          rate_limit_per_user: 0,
          topic: null,
          type: channel.type ?? ChannelType.GuildText,
        } as never,
      },
    },
  }),
  role: (name: string, role: Partial<APIRole> & { id: string }): OptionInput => ({
    name,
    type: ApplicationCommandOptionType.Role,
    value: role.id,
    [RESOLVED]: {
      roles: {
        [role.id]: {
          color: 0,
          colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
          description: null,
          flags: 0,
          hoist: false,
          icon: null,
          managed: false,
          mentionable: false,
          name: 'role',
          permissions: '0',
          position: 1,
          unicode_emoji: null,
          ...role,
        } as never,
      },
    },
  }),
  attachment: (name: string, attachment: APIAttachment): OptionInput => ({
    name,
    type: ApplicationCommandOptionType.Attachment,
    value: attachment.id,
    [RESOLVED]: { attachments: { [attachment.id]: attachment } },
  }),
};

// ------------------------------------------------------------------ builders

/**
 * The PING Discord sends when the interactions endpoint URL is saved and periodically after.
 *
 * @see https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-acknowledging-ping-requests
 */
export function pingInteraction(opts: { id?: string; token?: string; applicationId?: string; user?: Partial<APIUser> } = {}): APIPingInteraction {
  return {
    app_permissions: DEFAULT_APP_PERMISSIONS,
    application_id: opts.applicationId ?? ids.next(),
    attachment_size_limit: DEFAULT_ATTACHMENT_SIZE_LIMIT,
    authorizing_integration_owners: {},
    entitlements: [],
    id: opts.id ?? ids.next(),
    token: opts.token ?? newInteractionToken(),
    type: InteractionType.Ping,
    user: payloadUser(opts.user),
    version: 1,
  } as unknown as APIPingInteraction;
}

/** Options for {@link commandInteraction}. */
export interface CommandInteractionOptions extends InteractionEnvelope {
  name: string;
  commandId?: string;
  options?: OptionInput[];
  /** Extra resolved data merged with what the option helpers provide. */
  resolved?: APIInteractionDataResolved;
  /** Set for a guild-registered command (Discord adds `data.guild_id`). */
  commandGuildId?: string;
}

/**
 * A slash-command interaction (type 2, command type 1), subcommands and resolved data included.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-application-command-data-structure
 */
export function commandInteraction(opts: CommandInteractionOptions): APIChatInputApplicationCommandInteraction {
  const payload = base(InteractionType.ApplicationCommand, opts);
  const resolved: APIInteractionDataResolved = {};
  const options = opts.options ? collectOptions(opts.options, resolved) : undefined;
  if (opts.resolved) mergeResolved(resolved, opts.resolved);
  payload.data = {
    id: opts.commandId ?? ids.next(),
    name: opts.name,
    ...(options ? { options } : {}),
    ...(Object.keys(resolved).length ? { resolved } : {}),
    type: ApplicationCommandType.ChatInput,
    ...(opts.commandGuildId ? { guild_id: opts.commandGuildId } : {}),
  };
  return payload as APIChatInputApplicationCommandInteraction;
}

/**
 * An autocomplete interaction (type 4): like a command, with the option being typed `focused`.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#autocomplete
 */
export function autocompleteInteraction(opts: CommandInteractionOptions): APIApplicationCommandAutocompleteInteraction {
  const payload = commandInteraction(opts) as unknown as Record<string, any>;
  payload.type = InteractionType.ApplicationCommandAutocomplete;
  return payload as APIApplicationCommandAutocompleteInteraction;
}

/**
 * A message context-menu command (type 2, command type 3) on `target`.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#message-commands
 */
export function messageContextInteraction(opts: InteractionEnvelope & { name: string; commandId?: string; target: APIMessage }): APIMessageApplicationCommandInteraction {
  const payload = base(InteractionType.ApplicationCommand, opts);
  payload.data = {
    id: opts.commandId ?? ids.next(),
    name: opts.name,
    resolved: { messages: { [opts.target.id]: opts.target } },
    target_id: opts.target.id,
    type: ApplicationCommandType.Message,
  };
  return payload as APIMessageApplicationCommandInteraction;
}

/**
 * A user context-menu command (type 2, command type 2) on `target`.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#user-commands
 */
export function userContextInteraction(opts: InteractionEnvelope & { name: string; commandId?: string; target: Partial<APIUser> & { id: string } }): APIUserApplicationCommandInteraction {
  const payload = base(InteractionType.ApplicationCommand, opts);
  const target = payloadUser(opts.target);
  payload.data = {
    id: opts.commandId ?? ids.next(),
    name: opts.name,
    resolved: { users: { [target.id]: target } },
    target_id: target.id,
    type: ApplicationCommandType.User,
  };
  return payload as APIUserApplicationCommandInteraction;
}

/** A minimal message by the app carrying components, for component interactions without a stored message. */
function placeholderMessage(payload: Record<string, any>): APIMessage {
  return {
    application_id: payload.application_id,
    attachments: [],
    author: payloadUser({ id: payload.application_id, username: 'Deskwire', bot: true, discriminator: '8402' }),
    channel_id: payload.channel_id,
    components: [],
    content: '',
    edited_timestamp: null,
    embeds: [],
    flags: 0,
    id: ids.next(),
    mention_everyone: false,
    mention_roles: [],
    mentions: [],
    pinned: false,
    timestamp: new Date().toISOString().replace('Z', '000+00:00'),
    tts: false,
    type: MessageType.Default,
  } as unknown as APIMessage;
}

/**
 * A button or select-menu interaction (type 3) on `message` (the message carrying the component).
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-message-component-data-structure
 */
export function componentInteraction(
  opts: InteractionEnvelope & {
    customId: string;
    componentType?: ComponentType;
    values?: string[];
    message?: APIMessage;
    resolved?: APIInteractionDataResolved;
  },
): APIMessageComponentInteraction {
  const payload = base(InteractionType.MessageComponent, opts);
  const componentType = opts.componentType ?? ComponentType.Button;
  payload.data = {
    component_type: componentType,
    custom_id: opts.customId,
    ...(componentType !== ComponentType.Button ? { values: opts.values ?? [] } : {}),
    ...(opts.resolved ? { resolved: opts.resolved } : {}),
  };
  payload.message = opts.message ?? placeholderMessage(payload);
  return payload as APIMessageComponentInteraction;
}

/**
 * A modal submission (type 5). Fields are `custom_id → value` of the text inputs. `layout`
 * matches how the modal was built: `label` (type 18 wrappers, the current form) or `action-row`
 * (type 1 rows, the legacy form).
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-modal-submit-data-structure
 */
export function modalSubmitInteraction(
  opts: InteractionEnvelope & { customId: string; fields: Record<string, string>; layout?: 'label' | 'action-row'; message?: APIMessage },
): APIModalSubmitInteraction {
  const payload = base(InteractionType.ModalSubmit, opts);
  let componentId = 1;
  const components = Object.entries(opts.fields).map(([customId, value]) => {
    const input = { custom_id: customId, id: 0, type: ComponentType.TextInput, value };
    if ((opts.layout ?? 'label') === 'label') {
      const label = { component: input, id: componentId++, type: ComponentType.Label };
      input.id = componentId++;
      return label;
    }
    const row = { components: [input], id: componentId++, type: ComponentType.ActionRow };
    input.id = componentId++;
    return row;
  });
  payload.data = { components, custom_id: opts.customId };
  if (opts.message) payload.message = opts.message;
  return payload as APIModalSubmitInteraction;
}
