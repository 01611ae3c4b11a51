import type {
  ApplicationCommandType as ApplicationCommandTypeEnum,
  InteractionContextType as InteractionContextTypeEnum,
  InteractionResponseType as InteractionResponseTypeEnum,
  InteractionType as InteractionTypeEnum,
  MessageFlags as MessageFlagsEnum,
} from 'discord-api-types/v10';

/*
 * The handful of Discord constants the functions use, typed against discord-api-types. Importing
 * that package's values pulls its whole CommonJS module (~90 KB minified) into every bundle, which
 * would blow the interactions λ's size budget; its types cost nothing. A unit test checks these
 * values against the package.
 */

/** @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-type */
export const InteractionType = {
  Ping: 1 as InteractionTypeEnum.Ping,
  ApplicationCommand: 2 as InteractionTypeEnum.ApplicationCommand,
  MessageComponent: 3 as InteractionTypeEnum.MessageComponent,
  ApplicationCommandAutocomplete: 4 as InteractionTypeEnum.ApplicationCommandAutocomplete,
  ModalSubmit: 5 as InteractionTypeEnum.ModalSubmit,
} as const;

/** @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type */
export const InteractionResponseType = {
  Pong: 1 as InteractionResponseTypeEnum.Pong,
  ChannelMessageWithSource: 4 as InteractionResponseTypeEnum.ChannelMessageWithSource,
  DeferredChannelMessageWithSource: 5 as InteractionResponseTypeEnum.DeferredChannelMessageWithSource,
  DeferredMessageUpdate: 6 as InteractionResponseTypeEnum.DeferredMessageUpdate,
  UpdateMessage: 7 as InteractionResponseTypeEnum.UpdateMessage,
  ApplicationCommandAutocompleteResult: 8 as InteractionResponseTypeEnum.ApplicationCommandAutocompleteResult,
  Modal: 9 as InteractionResponseTypeEnum.Modal,
} as const;

/** @see https://discord.com/developers/docs/resources/message#message-object-message-flags */
export const MessageFlags = {
  Ephemeral: (1 << 6) as MessageFlagsEnum.Ephemeral,
  Loading: (1 << 7) as MessageFlagsEnum.Loading,
} as const;

/** @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-types */
export const ApplicationCommandType = {
  ChatInput: 1 as ApplicationCommandTypeEnum.ChatInput,
  User: 2 as ApplicationCommandTypeEnum.User,
  Message: 3 as ApplicationCommandTypeEnum.Message,
} as const;

/** @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-context-types */
export const InteractionContextType = {
  Guild: 0 as InteractionContextTypeEnum.Guild,
  BotDM: 1 as InteractionContextTypeEnum.BotDM,
  PrivateChannel: 2 as InteractionContextTypeEnum.PrivateChannel,
} as const;

/** Permission bits Deskwire checks. @see https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags */
export const PermissionFlagsBits = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  ManageRoles: 1n << 28n,
  ManageThreads: 1n << 34n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/**
 * `default_member_permissions` values (decimal strings, as the API takes them). Plain literals so
 * a command's registration body stays free of calls and can be dropped from bundles that never
 * read it. Checked against `PermissionFlagsBits` by a unit test.
 */
export const DefaultMemberPermissions = {
  ManageGuild: '32',
} as const;

/**
 * REST routes the functions call (relative to `/api/v10`).
 * @see https://discord.com/developers/docs/reference#api-reference
 */
export const Routes = {
  guild: (guildId: string) => `/guilds/${guildId}` as const,
  guildChannels: (guildId: string) => `/guilds/${guildId}/channels` as const,
  guildRoles: (guildId: string) => `/guilds/${guildId}/roles` as const,
  guildMember: (guildId: string, userId = '@me') => `/guilds/${guildId}/members/${userId}` as const,
  channel: (channelId: string) => `/channels/${channelId}` as const,
  channelPermission: (channelId: string, overwriteId: string) => `/channels/${channelId}/permissions/${overwriteId}` as const,
  channelMessages: (channelId: string) => `/channels/${channelId}/messages` as const,
  channelMessage: (channelId: string, messageId: string) => `/channels/${channelId}/messages/${messageId}` as const,
  /** Start a thread without a starter message (the form with a message id is not used). */
  threads: (parentId: string) => `/channels/${parentId}/threads` as const,
  threadMembers: (threadId: string, userId: string) => `/channels/${threadId}/thread-members/${userId}` as const,
  userChannels: () => '/users/@me/channels' as const,
  webhook: (applicationId: string, token: string) => `/webhooks/${applicationId}/${token}` as const,
  webhookMessage: (applicationId: string, token: string, messageId: string) => `/webhooks/${applicationId}/${token}/messages/${encodeURIComponent(messageId)}` as `/${string}`,
  oauth2TokenExchange: () => '/oauth2/token' as const,
  user: (userId = '@me') => `/users/${userId}` as const,
  userGuilds: () => '/users/@me/guilds' as const,
  channelInvites: (channelId: string) => `/channels/${channelId}/invites` as const,
  invite: (code: string) => `/invites/${encodeURIComponent(code)}` as `/${string}`,
  userGuild: (guildId: string) => `/users/@me/guilds/${guildId}` as const,
} as const;

/** @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-type */
export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
} as const;

/** @see https://discord.com/developers/docs/resources/channel#channel-object-channel-types */
export const ChannelKind = {
  GuildText: 0,
  GuildCategory: 4,
  GuildAnnouncement: 5,
  PublicThread: 11,
  PrivateThread: 12,
} as const;

/** @see https://discord.com/developers/docs/components/reference#component-object-component-types */
export const ComponentKind = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  /** Wraps one modal input with its label. @see https://discord.com/developers/docs/components/reference#label */
  Label: 18,
} as const;

/** @see https://discord.com/developers/docs/components/reference#button-button-styles */
export const ButtonStyle = { Primary: 1, Secondary: 2, Success: 3, Danger: 4, Link: 5 } as const;

/** @see https://discord.com/developers/docs/components/reference#text-input-text-input-styles */
export const TextInputStyle = { Short: 1, Paragraph: 2 } as const;
