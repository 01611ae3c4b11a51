import type {
  APIApplicationCommand,
  APIAttachment,
  APIExtendedInvite,
  APIGuild,
  APIGuildMember,
  APIInteractionResponse,
  APIMessage,
  APIOverwrite,
  APIThreadMember,
  APIThreadMetadata,
  APIUser,
  ChannelType,
} from 'discord-api-types/v10';

/** A user Discord knows, plus the emulator-only settings that shape how Discord treats them. */
export interface UserRecord {
  user: APIUser;
  /** The user turned off DMs from server members: DMs to them fail with 50007. */
  dmsClosed: boolean;
}

/**
 * A channel as Discord serialises it (guild text/category/announcement channels, threads, DMs).
 * Kept as one loose shape because routes mutate it (PATCH) and send it back as JSON.
 *
 * @see https://discord.com/developers/docs/resources/channel#channel-object
 */
export interface ChannelRecord {
  id: string;
  type: ChannelType;
  guild_id?: string;
  name?: string | null;
  position?: number;
  parent_id?: string | null;
  permission_overwrites?: APIOverwrite[];
  topic?: string | null;
  nsfw?: boolean;
  last_message_id?: string | null;
  rate_limit_per_user?: number;
  flags?: number;
  // threads
  owner_id?: string;
  thread_metadata?: APIThreadMetadata;
  message_count?: number;
  member_count?: number;
  total_message_sent?: number;
  // DMs
  recipients?: APIUser[];
  [extra: string]: unknown;
}

/** A guild: the Discord guild object (its `roles` array is the guild's roles). */
export type GuildRecord = APIGuild;

/** One earlier version of a message, kept on every edit. */
export interface MessageEdit {
  /** Epoch ms of the edit (emulator clock). */
  at: number;
  /** The message as it was before this edit. */
  before: APIMessage;
  /** Which request edited it (`PATCH /channels/…/messages/…`, `PATCH /webhooks/…/@original`…). */
  via: string;
}

/** A message that was deleted, kept so tests can assert on it. */
export interface DeletedMessage {
  channelId: string;
  message: APIMessage;
  at: number;
  via: string;
}

/** Bytes served by the CDN route for an attachment. */
export interface StoredAttachment {
  id: string;
  channelId: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** An invite plus the data Discord keeps about it. */
export interface InviteRecord {
  invite: APIExtendedInvite;
  channelId: string;
  guildId: string;
  /** Epoch ms after which Discord answers 10006 (null = never). */
  expiresAtMs: number | null;
  /** Users who joined the guild through it ({@link DiscordEmulator.useInvite}). */
  usedBy: string[];
  deleted: boolean;
}

/** What Discord got back when it delivered an interaction to the app over HTTP. */
export interface InteractionDelivery {
  status: number;
  body: unknown;
  latencyMs: number;
  /** True when the app answered after the deadline (Discord shows "The application did not respond"). */
  deadlineMissed: boolean;
}

/**
 * One interaction Discord sent (or is about to send), with everything that happened to it:
 * the initial response, edits of `@original`, follow-ups.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding
 */
export interface InteractionRecord {
  id: string;
  token: string;
  applicationId: string;
  /** The interaction payload as delivered. */
  payload: Record<string, any>;
  /** Epoch ms (emulator clock) the interaction was created: the token lives 15 minutes from here. */
  createdAt: number;
  delivery?: InteractionDelivery;
  /** The initial response, from the HTTP answer or from `POST /interactions/{id}/{token}/callback`. */
  initialResponse?: APIInteractionResponse;
  respondedVia?: 'http' | 'callback';
  /** Why Discord would show "This interaction failed" (bad response type, late answer…). */
  failure?: string;
  /** The message `@original` refers to (absent for modals, autocomplete, PONG). */
  originalMessageId?: string;
  originalChannelId?: string;
  /** Bodies of every PATCH of `@original`, in order. */
  originalEdits: Array<{ at: number; body: Record<string, unknown> }>;
  /** Ids of follow-up messages, in order. */
  followUpIds: string[];
}

/** A registered application command, global (`guildId` undefined) or per guild. */
export type CommandRecord = APIApplicationCommand;

/** One request the emulator served, for tests to assert on what the app called. */
export interface RequestLogEntry {
  at: number;
  method: string;
  /** Path without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  path: string;
  /** The matched route template, e.g. `/channels/{channel.id}/messages` (undefined when nothing matched). */
  route?: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** Set when the answer came from an injected fault. */
  fault?: boolean;
  auth: 'bot' | 'bearer' | 'none' | 'invalid';
}

/** An OAuth2 authorisation code or token the emulator issued. */
export interface OAuthGrant {
  userId: string;
  scopes: string[];
  redirectUri?: string;
  expiresAt: number;
}

/**
 * Everything the emulated Discord holds. Plain maps, so tests read them directly; prefer the
 * emulator's helpers (`messagesIn`, `channelsOf`, `interaction`) for the common questions.
 */
export interface EmulatorState {
  users: Map<string, UserRecord>;
  guilds: Map<string, GuildRecord>;
  /** guild id → user id → member. */
  members: Map<string, Map<string, APIGuildMember>>;
  /** Every channel: guild channels, threads and DMs. */
  channels: Map<string, ChannelRecord>;
  /** thread id → user id → thread member. */
  threadMembers: Map<string, Map<string, APIThreadMember>>;
  /** channel id → live messages, oldest first. Ephemeral messages are not here (Discord shows them to one user only). */
  messages: Map<string, APIMessage[]>;
  /** Ephemeral interaction messages by id. */
  ephemeralMessages: Map<string, APIMessage>;
  /** message id → earlier versions, oldest first. */
  messageEdits: Map<string, MessageEdit[]>;
  deletedMessages: DeletedMessage[];
  attachments: Map<string, StoredAttachment>;
  /** invite code → invite. */
  invites: Map<string, InviteRecord>;
  /** recipient user id → DM channel id. */
  dmChannels: Map<string, string>;
  commands: {
    global: Map<string, CommandRecord>;
    /** guild id → command id → command. */
    guild: Map<string, Map<string, CommandRecord>>;
  };
  /** interaction id → interaction. */
  interactions: Map<string, InteractionRecord>;
  oauth: {
    codes: Map<string, OAuthGrant>;
    accessTokens: Map<string, OAuthGrant>;
    refreshTokens: Map<string, OAuthGrant>;
  };
  requests: RequestLogEntry[];
}

/** A fresh, empty state. */
export function createEmptyState(): EmulatorState {
  return {
    users: new Map(),
    guilds: new Map(),
    members: new Map(),
    channels: new Map(),
    threadMembers: new Map(),
    messages: new Map(),
    ephemeralMessages: new Map(),
    messageEdits: new Map(),
    deletedMessages: [],
    attachments: new Map(),
    invites: new Map(),
    dmChannels: new Map(),
    commands: { global: new Map(), guild: new Map() },
    interactions: new Map(),
    oauth: { codes: new Map(), accessTokens: new Map(), refreshTokens: new Map() },
    requests: [],
  };
}

/** Attachment shape stored on messages (the CDN URL is re-signed whenever a message is read). */
export type MessageAttachment = APIAttachment;
