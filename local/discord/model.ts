import { EventEmitter } from 'node:events';
import { createHmac, randomBytes } from 'node:crypto';
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  Locale,
  OverwriteType,
  PermissionFlagsBits,
  type APIGuildMember,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type RoleFlags,
  type ThreadMemberFlags,
  type UserFlags,
  type APIOverwrite,
  type APIRole,
  type APIThreadMember,
  type APIUser,
} from 'discord-api-types/v10';
import { Errors } from './errors';
import { computeBasePermissions, computePermissions, hasPermissions } from './permissions';
import { SnowflakeGenerator } from './snowflake';
import type { ChannelRecord, EmulatorState, GuildRecord } from './state';

/** Settings the model needs; filled from {@link DiscordEmulatorOptions} with defaults. */
export interface ModelConfig {
  applicationId: string;
  botToken: string;
  clientId: string;
  clientSecret: string;
  publicKeyHex: string;
  now: () => number;
  /** Interaction tokens are valid this long (Discord: 15 minutes). */
  interactionTokenTtlMs: number;
  /** Signed CDN attachment links expire after this long (Discord: about 24 hours). */
  attachmentUrlTtlMs: number;
  /** Discord waits this long for the HTTP answer to an interaction (3 seconds). */
  interactionDeadlineMs: number;
  /** `http://host:port`, known once the server listens. */
  baseUrl: string;
}

/**
 * Permissions `@everyone` has in a new Discord server (text, voice and app basics; nothing that
 * moderates or manages).
 */
export const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseExternalStickers |
  PermissionFlagsBits.MentionEveryone |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.Stream |
  PermissionFlagsBits.UseVAD |
  PermissionFlagsBits.SendVoiceMessages |
  PermissionFlagsBits.SendPolls |
  PermissionFlagsBits.UseExternalApps;

/** What a ticket bot asks for when it is invited: manage channels/roles/threads and talk. */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.ManageChannels |
  PermissionFlagsBits.ManageRoles |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis;

/** Options for {@link DiscordModel.createUser}. */
export interface CreateUserOptions {
  id?: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
  /** Avatar hash; `null` for the default avatar. Defaults to a random hash. */
  avatar?: string | null;
  /** The user does not accept DMs from server members: DMs to them fail with 50007. */
  dmsClosed?: boolean;
  email?: string;
}

/** Options for {@link DiscordModel.createGuild}. */
export interface CreateGuildOptions {
  id?: string;
  name?: string;
  /** Owner user id; a new user is created when omitted. */
  ownerId?: string;
  /** `@everyone` permissions (default {@link DEFAULT_EVERYONE_PERMISSIONS}). */
  everyonePermissions?: bigint;
  /** Permissions of the bot's managed role (default {@link DEFAULT_BOT_PERMISSIONS}). */
  botPermissions?: bigint;
  /** Leave the bot out of the guild (to see 50001 Missing Access). */
  withoutBot?: boolean;
  /** Create a `Support` role (default true). */
  supportRole?: boolean;
  features?: string[];
  preferredLocale?: string;
}

/** What {@link DiscordModel.createGuild} made, with the ids tests usually need. */
export interface SeededGuild {
  guild: GuildRecord;
  id: string;
  ownerId: string;
  everyoneRoleId: string;
  botRoleId?: string;
  supportRoleId?: string;
  /** The `Text Channels` category a new Discord server starts with. */
  textCategoryId: string;
  /** `#general` inside it. */
  generalChannelId: string;
}

/** Options for {@link DiscordModel.createRole}. */
export interface CreateRoleOptions {
  id?: string;
  name?: string;
  permissions?: bigint | string;
  position?: number;
  color?: number;
  managed?: boolean;
  botId?: string;
}

/** Options for {@link DiscordModel.createChannel} (seeding, no permission checks). */
export interface CreateChannelOptions {
  id?: string;
  name?: string;
  type?: ChannelType;
  parentId?: string | null;
  overwrites?: APIOverwrite[];
  topic?: string | null;
  position?: number;
}

/**
 * The emulated Discord: its state plus the rules every route shares (lookups that fail with
 * Discord's error codes, permission checks, ids and clock). Routes are thin adapters over it.
 */
export class DiscordModel {
  readonly ids: SnowflakeGenerator;
  /** Emits `change` after every mutation, so waiters re-check state without sleeping. */
  readonly events = new EventEmitter();
  readonly botUser: APIUser;
  /** Key for the `hm` signature of CDN links; per process, like Discord's own rotating key. */
  readonly cdnKey = randomBytes(32);
  /** The user `GET /oauth2/authorize` logs in as. */
  oauthLoginUserId?: string;
  /**
   * Interactions whose HTTP delivery is under way. Discord reads the app's answer before a token can
   * reach `@original`, so webhook routes wait for the delivery to finish first.
   */
  readonly pendingDeliveries = new Map<string, Promise<unknown>>();

  /** Waits for an interaction's delivery to finish, but no longer than Discord would wait for the answer. */
  async settleDelivery(interactionId: string): Promise<void> {
    const pending = this.pendingDeliveries.get(interactionId);
    if (!pending) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, this.config.interactionDeadlineMs)))]);
    clearTimeout(timer);
  }

  constructor(
    readonly config: ModelConfig,
    readonly state: EmulatorState,
  ) {
    this.ids = new SnowflakeGenerator(config.now);
    this.events.setMaxListeners(0);
    // A bot user's id is its application's id for every app created since 2019.
    this.botUser = this.createUser({ id: config.applicationId, username: 'Deskwire', bot: true, globalName: null });
    this.botUser.discriminator = '8402';
  }

  now(): number {
    return this.config.now();
  }

  /** Discord's timestamp format (ISO 8601 with microseconds and an explicit offset). */
  iso(ms = this.now()): string {
    return new Date(ms).toISOString().replace('Z', '000+00:00');
  }

  changed(): void {
    this.events.emit('change');
  }

  // ---------------------------------------------------------------- users

  createUser(opts: CreateUserOptions = {}): APIUser {
    const id = opts.id ?? this.ids.next();
    const username = opts.username ?? `user${id.slice(-6)}`;
    const user: APIUser = {
      id,
      username,
      discriminator: opts.bot ? '0000' : '0',
      global_name: opts.globalName === undefined ? username : opts.globalName,
      avatar: opts.avatar === undefined ? randomBytes(16).toString('hex') : opts.avatar,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
    };
    if (opts.bot) user.bot = true;
    if (opts.email) user.email = opts.email;
    this.state.users.set(id, { user, dmsClosed: opts.dmsClosed ?? false });
    this.changed();
    return user;
  }

  requireUser(id: string): APIUser {
    const record = this.state.users.get(id);
    if (!record) throw Errors.unknownUser();
    return record.user;
  }

  // ---------------------------------------------------------------- guilds

  createGuild(opts: CreateGuildOptions = {}): SeededGuild {
    const id = opts.id ?? this.ids.next();
    const ownerId = opts.ownerId ?? this.createUser({ username: `owner${id.slice(-4)}` }).id;
    if (!this.state.users.has(ownerId)) this.createUser({ id: ownerId });
    const everyone: APIRole = this.roleObject({
      id,
      name: '@everyone',
      permissions: opts.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
      position: 0,
    });
    const guild: GuildRecord = {
      id,
      name: opts.name ?? `Guild ${id.slice(-4)}`,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: [everyone],
      emojis: [],
      stickers: [],
      features: (opts.features ?? []) as GuildRecord['features'],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: (opts.preferredLocale ?? Locale.EnglishUS) as Locale,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
    this.state.guilds.set(id, guild);
    this.state.members.set(id, new Map());
    this.addMember(id, ownerId);

    const seeded: SeededGuild = { guild, id, ownerId, everyoneRoleId: id, textCategoryId: '', generalChannelId: '' };
    if (opts.supportRole ?? true) {
      seeded.supportRoleId = this.createRole(id, { name: 'Support', permissions: 0n, position: 1 }).id;
    }
    if (!opts.withoutBot) {
      const botRole = this.createRole(id, {
        name: this.botUser.username,
        permissions: opts.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
        managed: true,
        botId: this.botUser.id,
      });
      seeded.botRoleId = botRole.id;
      this.addMember(id, this.botUser.id, [botRole.id]);
    }
    const category = this.createChannel(id, { name: 'Text Channels', type: ChannelType.GuildCategory });
    const general = this.createChannel(id, { name: 'general', type: ChannelType.GuildText, parentId: category.id });
    guild.system_channel_id = general.id;
    seeded.textCategoryId = category.id;
    seeded.generalChannelId = general.id;
    this.changed();
    return seeded;
  }

  requireGuild(id: string): GuildRecord {
    const guild = this.state.guilds.get(id);
    if (!guild) throw Errors.unknownGuild();
    return guild;
  }

  /** The guild, if `userId` is in it; Discord answers 50001 Missing Access to outsiders. */
  requireGuildAccess(guildId: string, userId: string): GuildRecord {
    const guild = this.requireGuild(guildId);
    if (!this.getMember(guildId, userId)) throw Errors.missingAccess();
    return guild;
  }

  private roleObject(opts: { id: string; name: string; permissions: bigint | string; position: number; color?: number; managed?: boolean; botId?: string }): APIRole {
    const color = opts.color ?? 0;
    const role: APIRole = {
      id: opts.id,
      name: opts.name,
      color,
      colors: { primary_color: color, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: opts.position,
      permissions: String(opts.permissions),
      managed: opts.managed ?? false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
    if (opts.botId) role.tags = { bot_id: opts.botId };
    return role;
  }

  createRole(guildId: string, opts: CreateRoleOptions = {}): APIRole {
    const guild = this.requireGuild(guildId);
    const position = opts.position ?? Math.max(...guild.roles.map((r) => r.position)) + 1;
    const role = this.roleObject({
      id: opts.id ?? this.ids.next(),
      name: opts.name ?? 'new role',
      permissions: opts.permissions ?? 0n,
      position,
      color: opts.color,
      managed: opts.managed,
      botId: opts.botId,
    });
    guild.roles.push(role);
    this.changed();
    return role;
  }

  requireRole(guildId: string, roleId: string): APIRole {
    const role = this.requireGuild(guildId).roles.find((r) => r.id === roleId);
    if (!role) throw Errors.unknownRole();
    return role;
  }

  // ---------------------------------------------------------------- members

  addMember(guildId: string, userId: string, roleIds: string[] = [], opts: { nick?: string | null } = {}): APIGuildMember {
    this.requireGuild(guildId);
    const user = this.state.users.get(userId)?.user ?? this.createUser({ id: userId });
    const member: APIGuildMember = {
      user,
      nick: opts.nick ?? null,
      avatar: null,
      banner: null,
      roles: [...roleIds],
      joined_at: this.iso(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
      avatar_decoration_data: null,
      collectibles: null,
    };
    this.state.members.get(guildId)!.set(userId, member);
    this.changed();
    return member;
  }

  getMember(guildId: string, userId: string): APIGuildMember | undefined {
    return this.state.members.get(guildId)?.get(userId);
  }

  requireMember(guildId: string, userId: string): APIGuildMember {
    const member = this.getMember(guildId, userId);
    if (!member) throw Errors.unknownMember();
    return member;
  }

  /** The highest position among a member's roles (0 = only `@everyone`); the owner outranks everyone. */
  highestRolePosition(guildId: string, userId: string): number {
    const guild = this.requireGuild(guildId);
    if (guild.owner_id === userId) return Number.POSITIVE_INFINITY;
    const member = this.getMember(guildId, userId);
    if (!member) return -1;
    return Math.max(0, ...guild.roles.filter((r) => member.roles.includes(r.id)).map((r) => r.position));
  }

  // ---------------------------------------------------------------- channels

  createChannel(guildId: string, opts: CreateChannelOptions = {}): ChannelRecord {
    this.requireGuild(guildId);
    const type = opts.type ?? ChannelType.GuildText;
    const siblings = this.guildChannels(guildId).filter((c) => c.type === type);
    const channel: ChannelRecord = {
      id: opts.id ?? this.ids.next(),
      type,
      guild_id: guildId,
      name: opts.name ?? 'channel',
      position: opts.position ?? siblings.length,
      flags: 0,
      parent_id: type === ChannelType.GuildCategory ? null : (opts.parentId ?? null),
      permission_overwrites: opts.overwrites ? opts.overwrites.map(normalizeOverwrite) : [],
      nsfw: false,
    };
    if (type !== ChannelType.GuildCategory) {
      channel.topic = opts.topic ?? null;
      channel.last_message_id = null;
      channel.rate_limit_per_user = 0;
    }
    this.state.channels.set(channel.id, channel);
    this.changed();
    return channel;
  }

  requireChannel(id: string): ChannelRecord {
    const channel = this.state.channels.get(id);
    if (!channel) throw Errors.unknownChannel();
    return channel;
  }

  /** Guild channels and categories (threads excluded), in creation order. */
  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.state.channels.values()].filter((c) => c.guild_id === guildId && !isThread(c.type));
  }

  threadsOf(guildId: string): ChannelRecord[] {
    return [...this.state.channels.values()].filter((c) => c.guild_id === guildId && isThread(c.type));
  }

  addThreadMember(threadId: string, userId: string): APIThreadMember {
    let members = this.state.threadMembers.get(threadId);
    if (!members) this.state.threadMembers.set(threadId, (members = new Map()));
    const existing = members.get(userId);
    if (existing) return existing;
    const member: APIThreadMember = { id: threadId, user_id: userId, join_timestamp: this.iso(), flags: 0 as ThreadMemberFlags };
    members.set(userId, member);
    const thread = this.state.channels.get(threadId);
    if (thread) thread.member_count = Math.min(50, members.size);
    this.changed();
    return member;
  }

  isThreadMember(threadId: string, userId: string): boolean {
    return this.state.threadMembers.get(threadId)?.has(userId) ?? false;
  }

  // ---------------------------------------------------------------- permissions

  /** `userId`'s guild-level permissions (no overwrites), as in `GET /users/@me/guilds`. */
  basePermissions(guildId: string, userId: string): bigint {
    const guild = this.requireGuild(guildId);
    const member = this.getMember(guildId, userId);
    if (!member) return 0n;
    return computeBasePermissions({ guildId, ownerId: guild.owner_id, userId, memberRoleIds: member.roles, roles: guild.roles });
  }

  /**
   * `userId`'s permissions in a channel. Threads use their parent's overwrites; a private thread is
   * visible only to its members and to those with MANAGE_THREADS. In a DM the bot can do what a
   * DM allows (view, send, read history, embed, attach).
   *
   * @see https://discord.com/developers/docs/topics/threads#permissions
   */
  channelPermissions(channel: ChannelRecord, userId: string): bigint {
    if (!channel.guild_id) {
      return (
        PermissionFlagsBits.ViewChannel |
        PermissionFlagsBits.SendMessages |
        PermissionFlagsBits.ReadMessageHistory |
        PermissionFlagsBits.EmbedLinks |
        PermissionFlagsBits.AttachFiles
      );
    }
    const guild = this.requireGuild(channel.guild_id);
    const member = this.getMember(guild.id, userId);
    if (!member) return 0n;
    const source = isThread(channel.type) && channel.parent_id ? this.state.channels.get(channel.parent_id) ?? channel : channel;
    let permissions = computePermissions({
      guildId: guild.id,
      ownerId: guild.owner_id,
      userId,
      memberRoleIds: member.roles,
      roles: guild.roles,
      overwrites: source.permission_overwrites ?? [],
      communicationDisabledUntil: member.communication_disabled_until,
      now: this.now(),
    });
    if (
      channel.type === ChannelType.PrivateThread &&
      !this.isThreadMember(channel.id, userId) &&
      !hasPermissions(permissions, PermissionFlagsBits.ManageThreads)
    ) {
      permissions = 0n;
    }
    return permissions;
  }

  /**
   * Throws what Discord answers when `userId` lacks `required` in `channel`: 50001 Missing Access
   * when the channel is not visible at all, 50013 Missing Permissions otherwise.
   */
  assertChannelPermissions(channel: ChannelRecord, userId: string, required: bigint): bigint {
    const permissions = this.channelPermissions(channel, userId);
    if (!hasPermissions(permissions, PermissionFlagsBits.ViewChannel)) throw Errors.missingAccess();
    if (!hasPermissions(permissions, required)) throw Errors.missingPermissions();
    return permissions;
  }

  assertGuildPermissions(guildId: string, userId: string, required: bigint): bigint {
    this.requireGuildAccess(guildId, userId);
    const permissions = this.basePermissions(guildId, userId);
    if (!hasPermissions(permissions, required)) throw Errors.missingPermissions();
    return permissions;
  }

  /** Channel lookup that also hides channels the caller cannot see, as Discord does. */
  requireVisibleChannel(id: string, userId: string): ChannelRecord {
    const channel = this.requireChannel(id);
    if (channel.type === ChannelType.DM) {
      if (!channel.recipients?.some((r) => r.id === userId) && userId !== this.botUser.id) throw Errors.missingAccess();
      return channel;
    }
    this.assertChannelPermissions(channel, userId, PermissionFlagsBits.ViewChannel);
    return channel;
  }

  // ---------------------------------------------------------------- CDN

  /**
   * A signed CDN link like Discord's: `ex` (expiry) and `is` (issue time) are hex epoch seconds and
   * `hm` is an HMAC over the path and both times, so a link cannot be extended by editing `ex`.
   *
   * @see https://discord.com/developers/docs/reference#signed-attachment-cdn-urls
   */
  signedAttachmentUrl(channelId: string, attachmentId: string, filename: string, issuedAtMs = this.now()): string {
    const path = `/cdn/attachments/${channelId}/${attachmentId}/${encodeURIComponent(filename)}`;
    const is = Math.floor(issuedAtMs / 1000).toString(16);
    const ex = Math.floor((issuedAtMs + this.config.attachmentUrlTtlMs) / 1000).toString(16);
    return `${this.config.baseUrl}${path}?ex=${ex}&is=${is}&hm=${this.cdnSignature(path, ex, is)}&`;
  }

  cdnSignature(path: string, ex: string, is: string): string {
    return createHmac('sha256', this.cdnKey).update(`${path}|${ex}|${is}`).digest('hex');
  }
}

/** Private, public and announcement threads. */
export function isThread(type: ChannelType): boolean {
  return type === ChannelType.PublicThread || type === ChannelType.PrivateThread || type === ChannelType.AnnouncementThread;
}

/** Overwrites as Discord stores them: string bit sets, missing allow/deny as "0". */
export function normalizeOverwrite(o: { id: string | number; type: number | string; allow?: string | number | null; deny?: string | number | null }): APIOverwrite {
  return {
    id: String(o.id),
    type: Number(o.type) === OverwriteType.Member ? OverwriteType.Member : OverwriteType.Role,
    allow: String(o.allow ?? '0'),
    deny: String(o.deny ?? '0'),
  };
}
