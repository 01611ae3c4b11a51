/**
 * Key builders for the single table (DESIGN §3). Every item is keyed by tenant first. Keep all
 * key formats here so access patterns are reviewable in one place.
 */
export const Keys = {
  guildPk: (guildId: string) => `GUILD#${guildId}`,
  guildConfig: (guildId: string) => ({ PK: `GUILD#${guildId}`, SK: 'CONFIG' }),
  category: (guildId: string, categoryId: string) => ({ PK: `GUILD#${guildId}`, SK: `CATEGORY#${categoryId}` }),
  /** A posted panel (listed per guild with `begins_with(SK, 'PANEL#')`). */
  panel: (guildId: string, panelId: string) => ({ PK: `GUILD#${guildId}`, SK: `PANEL#${panelId}` }),
  counter: (guildId: string) => ({ PK: `GUILD#${guildId}`, SK: 'COUNTER' }),
  /** Zero-padded so tickets sort by number. */
  ticket: (guildId: string, number: number) => ({ PK: `GUILD#${guildId}`, SK: `TICKET#${String(number).padStart(8, '0')}` }),
  /** A member's open tickets and last open time in one category (limits and cooldown). */
  memberCategory: (guildId: string, userId: string, categoryId: string) => ({ PK: `GUILD#${guildId}`, SK: `MEMBER#${userId}#CAT#${categoryId}` }),
  blacklist: (guildId: string, userId: string) => ({ PK: `GUILD#${guildId}`, SK: `BLACKLIST#${userId}` }),
  /** The numbers of a member's tickets open when their leave at `at` was handled (TTL-expired). */
  openerLeft: (guildId: string, userId: string, at: number) => ({ PK: `GUILD#${guildId}`, SK: `OPENERLEFT#${userId}#${at}` }),
  /** GSI1 key of a ticket once its channel exists: channel id → ticket. */
  channelIndex: (channelId: string) => ({ GSI1PK: `CHANNEL#${channelId}`, GSI1SK: 'TICKET' }),
  /**
   * `OpenChannels` index key of a ticket whose thread/channel is open (set with the channel, removed
   * at close, set again at reopen). One partition value: a ticket opens or closes a few times a day
   * per guild, far below a partition's write limit; shard it (`OPEN#<k>`) if that ever changes.
   */
  openChannel: (channelId: string) => ({ openPart: OPEN_CHANNELS_PART, openChannelId: channelId }),
  /** A message of the live ticket log; snowflakes zero-padded to 20 digits so the SK sorts by send time. */
  logEntry: (guildId: string, channelId: string, messageId: string) => ({ PK: `GUILD#${guildId}`, SK: `LOG#${channelId}#${messageId.padStart(20, '0')}` }),
  logPrefix: (channelId: string) => `LOG#${channelId}#`,
  job: (key: string) => ({ PK: `JOB#${key}`, SK: 'JOB' }),
  /** The guild's wrapped archive data key (one per guild; the purge deletes it: crypto-shredding). */
  dataKey: (guildId: string) => ({ PK: `GUILD#${guildId}`, SK: 'DATAKEY' }),
  /** A stored transcript: one per close of a ticket, newest last in the ticket's prefix. */
  transcript: (guildId: string, number: number, closedAt: number) => ({ PK: `GUILD#${guildId}`, SK: `TRANSCRIPT#${String(number).padStart(8, '0')}#${String(closedAt).padStart(15, '0')}` }),
  transcriptPrefix: (number: number) => `TRANSCRIPT#${String(number).padStart(8, '0')}#`,
  /** One event of a ticket's trail (claims, members, priority…), in time order. */
  trailEvent: (guildId: string, number: number, at: number, id: string) => ({ PK: `GUILD#${guildId}`, SK: `TRAIL#${String(number).padStart(8, '0')}#${String(at).padStart(15, '0')}#${id}` }),
  trailPrefix: (number: number) => `TRAIL#${String(number).padStart(8, '0')}#`,
  session: (id: string) => ({ PK: `SESSION#${id}`, SK: 'SESSION' }),
  /** A license, under the SHA-256 of its key (the key itself is never stored). */
  license: (keyHash: string) => ({ PK: `LICENSE#${keyHash}`, SK: 'LICENSE' }),
  licensePk: (keyHash: string) => `LICENSE#${keyHash}`,
  /** License → guild half of an activation (listed with `begins_with(SK, 'GUILD#')`). */
  licenseGuild: (keyHash: string, guildId: string) => ({ PK: `LICENSE#${keyHash}`, SK: `GUILD#${guildId}` }),
  /** Guild → license half of an activation, with the license fields the gate reads. */
  guildLicense: (guildId: string) => ({ PK: `GUILD#${guildId}`, SK: 'LICENSE' }),
  /** GSI1 key of every license: ops list them and find one by its short id. */
  licenseIndex: (licenseId: string) => ({ GSI1PK: 'LICENSES', GSI1SK: `LICENSE#${licenseId}` }),
  /** Failed attempts at `action` in one fixed window, per guild or per user (TTL-expired). */
  attempts: (scope: 'guild' | 'user', id: string, action: string, windowStart: number) => ({ PK: `${scope === 'guild' ? 'GUILD' : 'USER'}#${id}`, SK: `ATTEMPTS#${action}#${windowStart}` }),
  /** An audit entry, partitioned by month (DESIGN §3); the nonce keeps same-millisecond entries apart. */
  audit: (at: number, actor: string, nonce: string) => {
    const iso = new Date(at).toISOString();
    return { PK: `AUDIT#${iso.slice(0, 7)}`, SK: `${iso}#${actor}#${nonce}` };
  },
  /** Enforcement records live under their own partition, never `GUILD#`: guild purges and erasure leave them alone. */
  enforcementPk: (kind: 'user' | 'guild', targetId: string) => `ENFORCE#${kind.toUpperCase()}#${targetId}`,
  /** The target's current enforcement (read with the user's on every interaction; absent = none). */
  enforcementState: (kind: 'user' | 'guild', targetId: string) => ({ PK: `ENFORCE#${kind.toUpperCase()}#${targetId}`, SK: 'STATE' }),
  /** One enforcement action; SKs sort by time (`ACTION#<iso>#<nonce>`). */
  enforcementAction: (kind: 'user' | 'guild', targetId: string, actionId: string) => ({ PK: `ENFORCE#${kind.toUpperCase()}#${targetId}`, SK: `ACTION#${actionId}` }),
  /** A guild's callout bookkeeping: the one open callout and the last callout time (cooldown). */
  calloutState: (guildId: string) => ({ PK: `GUILD#${guildId}`, SK: 'CALLOUT_STATE' }),
  callout: (guildId: string, calloutId: string) => ({ PK: `GUILD#${guildId}`, SK: `CALLOUT#${calloutId}` }),
  /** GSI1 key of every callout (ops list them newest first without a Scan). */
  calloutIndex: (createdAt: number, guildId: string, calloutId: string) => ({ GSI1PK: 'CALLOUTS', GSI1SK: `CALLOUT#${new Date(createdAt).toISOString()}#${guildId}#${calloutId}` }),
  /** A `/callout` waiting for its requester to accept the terms (TTL 15 minutes). */
  calloutDraft: (guildId: string, userId: string) => ({ PK: `GUILD#${guildId}`, SK: `CALLOUT_DRAFT#${userId}` }),
  /** A staff member's acceptance of one version of the Interactive Support Terms. */
  calloutTerms: (userId: string, version: string) => ({ PK: `USER#${userId}`, SK: `CALLOUT_TERMS#${version}` }),
} as const;

/** The one `openPart` value of the `OpenChannels` index. */
export const OPEN_CHANNELS_PART = 'OPEN';

/** `dueKind` values of the `ByDue` sparse index, one per sweep. */
export const DueKind = {
  purge: 'DUE#purge',
  /** An open ticket's next auto-close step (warning or close), on the ticket item itself. */
  autoClose: 'DUE#autoclose',
  /** A reserved ticket still `opening` at this time needs repair (its welcome never got posted). */
  provision: 'DUE#provision',
  /** A license's next expiry step (warning 7 d / 1 d, expiry, end of grace), on the license item. */
  license: 'DUE#license',
  /** A stored transcript whose retention period ends at this time. */
  retention: 'DUE#retention',
  /** A callout's next step (escalate, expire, delete its invite), on the callout item. */
  callout: 'DUE#callout',
  /** A closed ticket whose transcript should be stored (or failed) by this time, on the ticket item. */
  transcript: 'DUE#transcript',
} as const;
