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
  /** GSI1 key of a ticket once its channel exists: channel id → ticket. */
  channelIndex: (channelId: string) => ({ GSI1PK: `CHANNEL#${channelId}`, GSI1SK: 'TICKET' }),
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
} as const;

/** `dueKind` values of the `ByDue` sparse index, one per sweep. */
export const DueKind = {
  purge: 'DUE#purge',
  /** An open ticket's next auto-close step (warning or close), on the ticket item itself. */
  autoClose: 'DUE#autoclose',
  /** A reserved ticket still `opening` at this time needs repair (its welcome never got posted). */
  provision: 'DUE#provision',
  /** A stored transcript whose retention period ends at this time. */
  retention: 'DUE#retention',
} as const;
